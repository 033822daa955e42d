// The configuration the benchmarks share: the classic office (two ISPs, SNAT) with the LAN
// widened to 192.168.0.1/16 and N hosts 192.168.1.2, 192.168.1.3, ... alternating ISP1/ISP2.
import { classicOffice } from "@/lib/examples";
import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { validateConfig } from "@/lib/validation";

/** Host i of benchConfig(n), for any i < n: the benchmarks that send traffic build a namespace for one of them. */
export const benchHostAddress = (i: number) => `192.168.${1 + Math.floor(i / 250)}.${2 + (i % 250)}`;

/** N hosts, alternating ISP1/ISP2; `firewall` names a backend, absent leaves the setting on auto. */
export function benchConfig(n: number, firewall?: FirewallBackend): GatewayConfig {
  const c = structuredClone(classicOffice);
  if (firewall) c.settings.firewall = firewall;
  c.settings.lanSubnets = ["192.168.0.1/16"];
  c.hosts = Array.from({ length: n }, (_, i) => ({
    name: `host-${String(i).padStart(4, "0")}`,
    address: benchHostAddress(i),
    mac: null,
    isp: i % 2 === 0 ? "ISP1" : "ISP2",
    notes: "",
  }));
  const v = validateConfig(c);
  if (!v.ok) throw new Error(`bench config for ${n} hosts is invalid: ${JSON.stringify(v.issues.slice(0, 3))}`);
  return v.config;
}
