// The boot apply's wait for the WAN links (`switchyard apply --wait-links S`): at boot the apply
// can start before ifupdown, a DHCP client or pppd has brought every WAN up. Waiting is bounded:
// once the time is up the apply runs anyway and applies what it can (routes of a link that is
// still down are left out by the plan, and the monitor adds them when the link comes up).
// One `ip -json addr show` per poll, whatever the number of ISPs.
import type { GatewayConfig } from "@/lib/model";
import { run, type Target } from "@/lib/net/exec";
import { parseIpAddrJson } from "@/lib/net/parse/ip-addr";

export interface LinkReadiness {
  isp: string;
  dev: string;
  /** exists, administratively up, has carrier, and holds the ISP's link address */
  ready: boolean;
  /** why not, in a few words */
  missing?: string;
}

/** Pure: `ip -json addr show` output -> the readiness of every enabled ISP's WAN. */
export function linkReadiness(config: GatewayConfig, ipAddrJson: string): LinkReadiness[] {
  const links = new Map(parseIpAddrJson(ipAddrJson).map((l) => [l.name, l]));
  return config.isps
    .filter((i) => i.enabled)
    .map((isp) => {
      const l = links.get(isp.wanInterface);
      const base = { isp: isp.name, dev: isp.wanInterface };
      if (!l) return { ...base, ready: false, missing: "no such interface yet" };
      if (!l.up) return { ...base, ready: false, missing: "not up" };
      if (!l.carrier) return { ...base, ready: false, missing: "no carrier" };
      const address = (isp as { linkAddress?: string | null }).linkAddress;
      if (address && !l.addresses.some((a) => a.family === 4 && a.local === address)) {
        return { ...base, ready: false, missing: `no address ${address} yet` };
      }
      return { ...base, ready: true };
    });
}

export interface WaitResult {
  waitedMs: number;
  /** some link was not ready at the first look */
  waited: boolean;
  links: LinkReadiness[];
  allReady: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until every enabled ISP's WAN is ready or `timeoutMs` has passed; never throws for a link that stays down. */
export async function waitForLinks(
  target: Target,
  config: GatewayConfig,
  timeoutMs: number,
  opts: { pollMs?: number; onWait?: (pending: LinkReadiness[]) => void } = {},
): Promise<WaitResult> {
  const started = Date.now();
  let told = "";
  let waited = false;
  for (;;) {
    const r = await run(target, "ip", ["-json", "addr", "show"]);
    const links = linkReadiness(config, r.stdout);
    const pending = links.filter((l) => !l.ready);
    const waitedMs = Date.now() - started;
    if (pending.length === 0 || waitedMs >= timeoutMs) return { waitedMs, waited: waited || pending.length > 0, links, allReady: pending.length === 0 };
    waited = true;
    const now = pending.map((l) => `${l.isp} ${l.missing}`).join(", ");
    if (now !== told) opts.onWait?.(pending);
    told = now;
    await sleep(Math.min(opts.pollMs ?? 500, Math.max(0, timeoutMs - waitedMs)));
  }
}
