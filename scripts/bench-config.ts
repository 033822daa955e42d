// The configuration the benchmarks share: the classic office (two ISPs, SNAT) with the LAN
// widened to 192.168.0.1/16 and N hosts 192.168.1.2, 192.168.1.3, ... alternating ISP1/ISP2.
// Dual-stack (docs/ipv6.md): each ISP delegates a /48, the LAN carries a /64 of each, and every
// host has a MAC (its IPv6 identity), so the IPv6 host match holds N entries.
import { classicOffice } from "@/lib/examples";
import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { validateConfig } from "@/lib/validation";

/** Host i of benchConfig(n), for any i < n: the benchmarks that send traffic build a namespace for one of them. */
export const benchHostAddress = (i: number) => `192.168.${1 + Math.floor(i / 250)}.${2 + (i % 250)}`;

/** Host i's MAC in the dual-stack bench config: locally administered, unique for i < 65536. */
export const benchHostMac = (i: number) => `02:00:00:00:${(i >> 8).toString(16).padStart(2, "0")}:${(i & 0xff).toString(16).padStart(2, "0")}`;

/** N hosts, alternating ISP1/ISP2; `firewall` names a backend, absent leaves the setting on auto; `ipv6`: dual-stack, as above. */
export function benchConfig(n: number, firewall?: FirewallBackend, ipv6 = false): GatewayConfig {
  const c = structuredClone(classicOffice);
  if (firewall) c.settings.firewall = firewall;
  c.settings.lanSubnets = ["192.168.0.1/16"];
  c.hosts = Array.from({ length: n }, (_, i) => ({
    name: `host-${String(i).padStart(4, "0")}`,
    address: benchHostAddress(i),
    mac: ipv6 ? benchHostMac(i) : null,
    isp: i % 2 === 0 ? "ISP1" : "ISP2",
    notes: "",
  }));
  if (ipv6) {
    // as tests/kernel/lab-dualstack.test.ts: one link-local next hop, one global, so both kinds are measured
    c.isps = c.isps.map((isp, i) => ({ ...isp, ipv6: { prefix: `2001:db8:${i + 1}::/48`, gateway: i === 0 ? "fe80::1" : `2001:db8:f${i + 1}::1` } }));
    c.settings.lanSubnets6 = c.isps.map((_, i) => `2001:db8:${i + 1}:1::1/64`);
  }
  const v = validateConfig(c);
  if (!v.ok) throw new Error(`bench config for ${n} hosts is invalid: ${JSON.stringify(v.issues.slice(0, 3))}`);
  return v.config;
}
