// Pure description of the lab a GatewayConfig turns into. lab.ts makes the kernel match it.
//
// Naming (prefix "sy" shown; a prefix is a letter + up to 7 letters/digits, no dash, so
// that "<prefix>-" can never match another lab's namespaces):
//   sy-gw          the gateway: bridge <lanInterface>, one WAN veth <wanInterface> per ISP,
//                  one bridge port "h<hex>" per LAN host
//   sy-isp<N>      ISP N (1-based position in config.isps): "cust0" faces the gateway,
//                  "core0" faces the internet namespace
//   sy-inet        the internet: test server 198.18.0.1/32 on lo, "isp<N>" towards ISP N
//   sy-h<hex>      a LAN host; <hex> = its IPv4 address as 8 hex digits (192.168.1.100 ->
//                  c0a80164): stable for an address, no matter where it sits in the list
// Transfer links ISP N <-> inet use 198.19.N.0/30 (.1 ISP, .2 inet). The lab reserves
// 198.18.0.0/15 (RFC 2544 benchmark range) and refuses configs that use any part of it.
// All ISPs are built, enabled or not: the cable exists even when the product ignores it.
// Dynamic ISPs (their addresses in the config are learned, not set): a DHCP ISP N serves
// 100.64.N.0/24 from 100.64.N.1 with a DHCP server on cust0 (busybox udhcpd), and the gateway
// runs a DHCP client on its WAN (udhcpc); a PPP ISP N is a /32 point-to-point pair,
// 100.65.N.2 (gateway) <-> peer 100.65.N.1 (ISP), set by the lab as pppd would.
// A routed block is routed by its ISP to the gateway's link address, as a real one is.
// IPv6 is off in every namespace unless LabOptions.ipv6 builds the lab dual-stack (topology6.ts).
import { hasIpv6 } from "../net/render/ipv6";
import type { GatewayConfig, IspConfig } from "../model";
import { confSysctl, forwardingSysctl } from "../net/family";
import { gatewayNamespace } from "../engine/lab-names";
import { lansOf } from "../net/lans";
import { addIpv6, SERVER_ADDRESS6 } from "./topology6";
import { cidrContains as contains, cidrNetwork as networkOf, cidrsOverlap as overlaps, ipHex, mustCidr as parseCidr } from "../net/ipv4";

export const LAB_RESERVED = "198.18.0.0/15";
export const SERVER_ADDRESS = "198.18.0.1";
export const ECHO_PORT = 7777;
export const SINK_PORT = 7778;
export const PREFIX_RE = /^[A-Za-z][A-Za-z0-9]{0,7}$/;

export type LabRole = "gw" | "isp" | "inet" | "host";
export interface LabNamespace {
  name: string;
  role: LabRole;
  label: string; // ISP or host name from the config
}
export interface LinkEnd {
  ns: string;
  name: string;
  mac?: string;
  master?: string; // bridge to enslave this end to
}
export type LabLink = { kind: "bridge"; ns: string; name: string } | { kind: "veth"; a: LinkEnd; b: LinkEnd };
export interface LabAddress {
  ns: string;
  dev: string;
  cidr: string; // "203.0.113.10/24"
  peer?: string; // point-to-point (PPP): the far end
}
export interface LabDhcpServer {
  ns: string;
  dev: string;
  isp: string;
  router: string;
  /** the pool: one address by default, so a test knows the lease it gets (setDhcpPool changes it) */
  start: string;
  end: string;
  netmask: string;
  leaseSeconds: number;
}
export interface LabDhcpClient {
  ns: string;
  dev: string;
  isp: string;
}
export interface LabRoute {
  ns: string;
  dst: string; // "default" or a CIDR
  /** IPv6 only: a source-specific route (`from PREFIX`) */
  from?: string;
  via: string;
  dev: string;
}
export interface LabSysctl {
  ns: string;
  key: string;
  value: string;
  optional?: boolean; // may be missing in a kernel (br_netfilter, IPv6): set with sysctl -e
}
export interface LabHost {
  name: string;
  address: string;
  ns: string;
}
export interface LabTopology {
  prefix: string;
  gw: string;
  inet: string;
  namespaces: LabNamespace[];
  links: LabLink[];
  addresses: LabAddress[];
  routes: LabRoute[];
  sysctls: LabSysctl[];
  hosts: LabHost[];
  dhcp: { servers: LabDhcpServer[]; clients: LabDhcpClient[] };
  /** address6: the server's IPv6 address in a dual-stack lab (it then listens on both) */
  server: { ns: string; address: string; address6?: string; echoPort: number; sinkPort: number };
}

export function checkPrefix(prefix: string): void {
  if (!PREFIX_RE.test(prefix)) throw new Error(`lab prefix must match ${PREFIX_RE}: ${JSON.stringify(prefix)}`);
}
export { gatewayNamespace };
export const inetNamespace = (prefix: string) => `${prefix}-inet`;
export const ispNamespace = (prefix: string, index: number) => `${prefix}-isp${index + 1}`;
export const hostNamespace = (prefix: string, address: string) => `${prefix}-h${ipHex(address)}`;

export interface LabOptions {
  /**
   * Strict reverse-path filtering on the gateway (rp_filter=1, as on CIS-hardened boxes)
   * instead of loose (2). Replies on a second ISP then pass only because Switchyard restores
   * the connection mark on WAN ingress and src_valid_mark=1. Default: the environment's
   * SWITCHYARD_LAB_RP_FILTER=strict, so a whole test run can be repeated both ways.
   */
  strictRpFilter?: boolean;
  /**
   * Dual stack from the configuration's IPv6 settings (lib/lab/topology6.ts). Absent: dual stack
   * when an enabled ISP has IPv6 (the lab follows the configuration, so `lab up` and the app's
   * apply on the lab need no flag); false: IPv6 off in every namespace.
   */
  ipv6?: boolean;
}

export const strictRpFromEnv = () => process.env.SWITCHYARD_LAB_RP_FILTER === "strict";

/** The link a lab ISP has: the config's, or for a dynamic ISP the lab's own plan (the first lease, the PPP pair). */
export function labLink(isp: IspConfig, index: number): { linkAddress: string; linkPrefix: number; gatewayAddress: string } {
  const n = index + 1;
  if (isp.addressMode === "dhcp") return { linkAddress: `100.64.${n}.100`, linkPrefix: 24, gatewayAddress: `100.64.${n}.1` };
  if (isp.addressMode === "ppp") return { linkAddress: `100.65.${n}.2`, linkPrefix: 32, gatewayAddress: `100.65.${n}.1` };
  return isp;
}

export function labTopology(config: GatewayConfig, prefix: string, opts: LabOptions = {}): LabTopology {
  checkPrefix(prefix);
  const gw = gatewayNamespace(prefix);
  const inet = inetNamespace(prefix);
  const t: LabTopology = {
    prefix,
    gw,
    inet,
    namespaces: [],
    links: [],
    addresses: [],
    routes: [],
    sysctls: [],
    hosts: [],
    dhcp: { servers: [], clients: [] },
    server: { ns: inet, address: SERVER_ADDRESS, echoPort: ECHO_PORT, sinkPort: SINK_PORT },
  };
  const sysctls = (ns: string, kv: Record<string, string | number>, optional = false) => {
    for (const [key, value] of Object.entries(kv)) t.sysctls.push({ ns, key, value: String(value), ...(optional ? { optional } : {}) });
  };
  const reserved = (what: string, cidr: string) => {
    if (overlaps(cidr, LAB_RESERVED)) throw new Error(`${what} ${cidr} overlaps the lab's reserved ${LAB_RESERVED}`);
  };
  // every LAN (the main one, a guest network...) is a bridge of its own in the gateway
  const lans = lansOf(config);
  const lanSubnets = lans.flatMap((l) => l.subnets);
  // Names go into `ip -batch` lines unquoted: allow only what needs no quoting ("#" would
  // start a comment there), within the kernel's 15 characters.
  const gwIfnames = new Set<string>(["lo"]);
  const claimIfname = (name: string) => {
    if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name)) throw new Error(`lab: unsupported interface name ${JSON.stringify(name)}`);
    if (gwIfnames.has(name)) throw new Error(`interface name ${name} is used twice in the gateway`);
    gwIfnames.add(name);
  };
  for (const l of lans) claimIfname(l.interface);

  // Gateway: a bridge per LAN with its gateway addresses.
  t.namespaces.push({ name: gw, role: "gw", label: "gateway" });
  for (const l of lans) {
    t.links.push({ kind: "bridge", ns: gw, name: l.interface });
    for (const s of l.subnets) {
      reserved("LAN subnet", s);
      t.addresses.push({ ns: gw, dev: l.interface, cidr: s });
    }
  }
  // Loose (or, as an option, strict) rp_filter + src_valid_mark: replies on a second ISP
  // pass (kernel.md). Bridged LAN-to-LAN traffic must not walk iptables (bridge-nf-call-iptables=0).
  const rp = (opts.strictRpFilter ?? strictRpFromEnv()) ? 1 : 2;
  sysctls(gw, {
    [forwardingSysctl(4)]: 1,
    [confSysctl(4, "all", "src_valid_mark")]: 1,
    [confSysctl(4, "all", "rp_filter")]: rp,
    [confSysctl(4, "default", "rp_filter")]: rp,
  });
  sysctls(gw, { "net.bridge.bridge-nf-call-iptables": 0 }, true);

  t.namespaces.push({ name: inet, role: "inet", label: "internet" });
  t.addresses.push({ ns: inet, dev: "lo", cidr: `${SERVER_ADDRESS}/32` });
  sysctls(inet, { [forwardingSysctl(4)]: 0, [confSysctl(4, "all", "rp_filter")]: 1, [confSysctl(4, "default", "rp_filter")]: 1 });

  if (config.isps.length > 254) throw new Error("the lab supports at most 254 ISPs");
  const linkNets = config.isps.map((isp, i) => networkOf(labLink(isp, i).linkAddress, labLink(isp, i).linkPrefix));
  config.isps.forEach((isp, i) => {
    const ns = ispNamespace(prefix, i);
    const n = i + 1;
    const [ispT, inetT] = [`198.19.${n}.1`, `198.19.${n}.2`];
    const linkNet = linkNets[i];
    const link = labLink(isp, i);
    reserved(`ISP ${isp.name} link`, linkNet);
    claimIfname(isp.wanInterface);
    t.namespaces.push({ name: ns, role: "isp", label: isp.name });
    t.links.push({ kind: "veth", a: { ns: gw, name: isp.wanInterface }, b: { ns, name: "cust0" } });
    t.links.push({ kind: "veth", a: { ns: inet, name: `isp${n}` }, b: { ns, name: "core0" } });
    if (isp.addressMode === "dhcp") {
      t.dhcp.servers.push({
        ns,
        dev: "cust0",
        isp: isp.name,
        router: link.gatewayAddress,
        start: link.linkAddress,
        end: link.linkAddress,
        netmask: "255.255.255.0",
        leaseSeconds: 16,
      });
      t.dhcp.clients.push({ ns: gw, dev: isp.wanInterface, isp: isp.name });
      t.addresses.push({ ns, dev: "cust0", cidr: `${link.gatewayAddress}/${link.linkPrefix}` });
    } else if (isp.addressMode === "ppp") {
      t.addresses.push({ ns: gw, dev: isp.wanInterface, cidr: `${link.linkAddress}/32`, peer: link.gatewayAddress });
      t.addresses.push({ ns, dev: "cust0", cidr: `${link.gatewayAddress}/32`, peer: link.linkAddress });
    } else {
      t.addresses.push({ ns: gw, dev: isp.wanInterface, cidr: `${isp.linkAddress}/${isp.linkPrefix}` });
      t.addresses.push({ ns, dev: "cust0", cidr: `${isp.gatewayAddress}/${isp.linkPrefix}` });
    }
    t.addresses.push({ ns, dev: "core0", cidr: `${ispT}/30` });
    t.addresses.push({ ns: inet, dev: `isp${n}`, cidr: `${inetT}/30` });
    t.routes.push({ ns, dst: "default", via: inetT, dev: "core0" });
    // The internet routes the customer range back through this ISP. Ranges shared with
    // another ISP (two modems on 192.168.0.0/24) are ambiguous: route single addresses.
    const shared = linkNets.some((other, j) => j !== i && overlaps(other, linkNet));
    const backToIsp = (dst: string) => t.routes.push({ ns: inet, dst, via: ispT, dev: `isp${n}` });
    backToIsp(shared ? `${link.linkAddress}/32` : linkNet);
    // A routed block: the ISP routes it to the gateway's link address (no address of it
    // needs to be on the gateway: SNAT to it is enough). For a DHCP ISP: its first lease.
    const blocks = isp.routedBlocks ?? [];
    for (const block of blocks) {
      reserved(`routed block`, block);
      t.routes.push({ ns, dst: block, via: link.linkAddress, dev: "cust0" });
      backToIsp(block);
    }
    // NAT addresses sit on the WAN as /32 so the ISP can ARP for them; ones outside the
    // link range get an ISP route towards the gateway, as a routed block would.
    const inBlock = (a: string) => blocks.some((b) => contains(b, a));
    const nat = new Set(config.natAddresses.filter((a) => a.isp === isp.name && a.address !== isp.linkAddress && !inBlock(a.address)).map((a) => a.address));
    for (const address of nat) {
      reserved(`NAT address`, `${address}/32`);
      t.addresses.push({ ns: gw, dev: isp.wanInterface, cidr: `${address}/32` });
      const inLink = contains(linkNet, address);
      if (!inLink) t.routes.push({ ns, dst: `${address}/32`, via: link.linkAddress, dev: "cust0" });
      if (shared || !inLink) backToIsp(`${address}/32`);
    }
    // A real ISP validates sources: strict rp_filter everywhere, so a wrong SNAT fails.
    sysctls(ns, {
      [forwardingSysctl(4)]: 1,
      [confSysctl(4, "all", "rp_filter")]: 1,
      [confSysctl(4, "default", "rp_filter")]: 1,
      [confSysctl(4, "cust0", "rp_filter")]: 1,
      [confSysctl(4, "core0", "rp_filter")]: 1,
    });
  });

  const seen = new Set<string>();
  for (const host of config.hosts) {
    const subnet = lanSubnets.find((s) => contains(s, host.address));
    if (!subnet) throw new Error(`host ${host.name} (${host.address}) is in none of the LAN subnets`);
    const { address: gwAddr, prefix: len } = parseCidr(subnet);
    if (host.address === gwAddr) throw new Error(`host ${host.name} has the gateway's address ${gwAddr}`);
    if (seen.has(host.address)) throw new Error(`two hosts have the address ${host.address}`);
    seen.add(host.address);
    if (host.mac && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(host.mac)) throw new Error(`host ${host.name}: bad MAC ${host.mac}`);
    const ns = hostNamespace(prefix, host.address);
    const port = `h${ipHex(host.address)}`;
    claimIfname(port);
    t.namespaces.push({ name: ns, role: "host", label: host.name });
    t.hosts.push({ name: host.name, address: host.address, ns });
    const bridge = lans.find((l) => l.subnets.includes(subnet))!.interface;
    t.links.push({ kind: "veth", a: { ns: gw, name: port, master: bridge }, b: { ns, name: "eth0", ...(host.mac ? { mac: host.mac.toLowerCase() } : {}) } });
    t.addresses.push({ ns, dev: "eth0", cidr: `${host.address}/${len}` });
    t.routes.push({ ns, dst: "default", via: gwAddr, dev: "eth0" });
    sysctls(ns, { [forwardingSysctl(4)]: 0, [confSysctl(4, "all", "rp_filter")]: 2, [confSysctl(4, "default", "rp_filter")]: 2 });
  }
  if (opts.ipv6 ?? hasIpv6(config)) {
    addIpv6(t, config, (i) => ispNamespace(prefix, i));
    t.server.address6 = SERVER_ADDRESS6;
    return t;
  }
  // IPv4-only lab: no IPv6 link-local chatter in tcpdump captures or counters.
  for (const { name } of t.namespaces) sysctls(name, { [confSysctl(6, "all", "disable_ipv6")]: 1, [confSysctl(6, "default", "disable_ipv6")]: 1 }, true);
  return t;
}
