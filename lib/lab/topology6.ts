// The lab's IPv6 (LabOptions.ipv6; off by default, the lab then stays IPv4-only). Pure.
// From the configuration's IPv6 settings (docs/ipv6.md): each ISP with `ipv6` holds its
// next hop on its customer link (cust0) and routes its prefix to the gateway's address on
// that link (the same /64's ::2, or ::3 when the ISP is ::2; fe80::2 beside fe80::1), and
// forwards only what comes from its prefix (BCP 38, by a source-specific default: a packet
// from any other source has no route). The gateway holds each LAN's /64s; each host holds one
// address per /64 of its LAN, its host part its IPv4 address (192.168.1.100 -> ::c0a8:164),
// and a default route via its LAN's first /64's gateway address. The internet namespace holds
// the server's IPv6 address; transfer links use 2001:2:0:N::/64 (.1 ISP N, .2 inet). The lab
// reserves 2001:2::/48 (RFC 5180, IPv6 benchmarking) as it does 198.18.0.0/15 for IPv4.
// Every IPv6 address is made without duplicate address detection (the converge adds nodad).
import ipaddr from "ipaddr.js";
import type { GatewayConfig } from "../model";
import { parsePrefix, prefixesOverlap } from "../net/address";
import { confSysctl, forwardingSysctl } from "../net/family";
import { cidrContains, ipHex } from "../net/ipv4";
import { lansOf } from "../net/lans";
import type { LabAddress, LabRoute, LabSysctl, LabTopology } from "./topology";

export const LAB_RESERVED6 = "2001:2::/48";
export const SERVER_ADDRESS6 = "2001:2::1";
const transfer = (n: number, end: 1 | 2) => `2001:2:0:${n.toString(16)}::${end}`;

const withIid = (network: string, iid: number[]): string => {
  const parts = ipaddr.IPv6.parse(network.split("/")[0]).parts.slice(0, 4);
  return new ipaddr.IPv6([...parts, ...iid]).toRFC5952String();
};

/** The gateway's address on an ISP's IPv6 link: its neighbour in the next hop's /64. */
export function wanPeer6(gateway: string): string {
  const iid = ipaddr.IPv6.parse(gateway).parts.slice(4).join(":") === "0:0:0:2" ? 3 : 2;
  return withIid(gateway, [0, 0, 0, iid]);
}

/** A host's address in a /64: the host part is its IPv4 address. */
export function hostAddress6(subnet6: string, ipv4: string): string {
  const hex = ipHex(ipv4);
  return withIid(parsePrefix(subnet6)!.network, [0, 0, parseInt(hex.slice(0, 4), 16), parseInt(hex.slice(4), 16)]);
}

/** Adds the lab's IPv6 to a topology labTopology built (its namespaces, links and hosts exist). */
export function addIpv6(t: LabTopology, config: GatewayConfig, ispNs: (index: number) => string): void {
  const addr = (a: LabAddress) => t.addresses.push(a);
  const route = (r: LabRoute) => t.routes.push(r);
  const sysctl = (ns: string, key: string, value: number) => t.sysctls.push({ ns, key, value: String(value) } satisfies LabSysctl);
  for (const { name } of t.namespaces) {
    sysctl(name, confSysctl(6, "all", "disable_ipv6"), 0);
    sysctl(name, confSysctl(6, "default", "disable_ipv6"), 0);
    sysctl(name, confSysctl(6, "default", "accept_dad"), 0);
  }
  sysctl(t.gw, forwardingSysctl(6), 1);
  addr({ ns: t.inet, dev: "lo", cidr: `${SERVER_ADDRESS6}/128` });

  config.isps.forEach((isp, i) => {
    if (!isp.ipv6) return;
    const { prefix, gateway } = isp.ipv6;
    if (prefixesOverlap(prefix, LAB_RESERVED6)) throw new Error(`ISP ${isp.name} IPv6 prefix ${prefix} overlaps the lab's reserved ${LAB_RESERVED6}`);
    const ns = ispNs(i);
    const n = i + 1;
    const peer = wanPeer6(gateway);
    sysctl(ns, forwardingSysctl(6), 1);
    addr({ ns, dev: "cust0", cidr: `${gateway}/64` });
    addr({ ns: t.gw, dev: isp.wanInterface, cidr: `${peer}/64` });
    addr({ ns, dev: "core0", cidr: `${transfer(n, 1)}/64` });
    addr({ ns: t.inet, dev: `isp${n}`, cidr: `${transfer(n, 2)}/64` });
    route({ ns, dst: parsePrefix(prefix)!.network, via: peer, dev: "cust0" });
    route({ ns, dst: "default", from: parsePrefix(prefix)!.network, via: transfer(n, 2), dev: "core0" });
    route({ ns: t.inet, dst: parsePrefix(prefix)!.network, via: transfer(n, 1), dev: `isp${n}` });
  });

  const lans = lansOf(config);
  for (const lan of lans) for (const s of lan.subnets6 ?? []) addr({ ns: t.gw, dev: lan.interface, cidr: s });
  for (const host of t.hosts) {
    const lan = lans.find((l) => l.subnets.some((s) => cidrContains(s, host.address)));
    const subnets6 = lan?.subnets6 ?? [];
    if (!subnets6.length) continue;
    for (const s of subnets6) addr({ ns: host.ns, dev: "eth0", cidr: `${hostAddress6(s, host.address)}/64` });
    route({ ns: host.ns, dst: "default", via: parsePrefix(subnets6[0])!.address, dev: "eth0" });
  }
}
