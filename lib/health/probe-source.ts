// Where each probe leaves from (pure). An IPv4 target is pinged from the ISP's link address: its
// source rule sends it into the ISP's table. An IPv6 target is pinged from the gateway's own
// address in the ISP's prefix, on the main LAN's /64 of it (another LAN's when the main one has
// none): the ISP takes no other source (BCP 38). A down ISP's prefix rule is left out by the
// render (docs/ipv6.md "Failover"), so the probe also carries the ISP's mark: its `fwmark` rule
// stays, and the probe keeps testing the ISP and sees it come back.
import type { GatewayConfig, IspConfig } from "@/lib/model";
import { MAIN_LAN } from "@/lib/net/lans";
import { lanSubnets6, translatesFor } from "@/lib/net/render/ipv6";
import { isIpv6Target } from "@/lib/validation/health";

export type ProbeFrom = { source: string; mark?: number } | { why: string };

export function probeFrom(config: GatewayConfig, isp: IspConfig, target: string): ProbeFrom {
  if (!isIpv6Target(target)) return { source: isp.linkAddress };
  if (!isp.ipv6) return { why: `${target} cannot be probed: ${isp.name} has no IPv6` };
  // without translation there is no mark rule: a down ISP's probe would have no way into its table
  if (!translatesFor(isp)) return { why: `${target} cannot be probed: ${isp.name} has IPv6 translation off (its probe needs the ISP's mark rule)` };
  const own = lanSubnets6(config).filter((s) => s.isp?.name === isp.name);
  const lan = own.find((s) => s.lan.name === MAIN_LAN) ?? own[0];
  if (!lan) return { why: `${target} cannot be probed: no LAN has an IPv6 /64 of ${isp.name}'s prefix, so the gateway has no address to send from` };
  return { source: lan.address, mark: isp.mark };
}
