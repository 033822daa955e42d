// Fault injection in the lab, in an ISP's namespace (never in the gateway: the product must
// find out by itself). Faults live in one own chain, SYLAB-FAULT, hooked first in the ISP's
// FORWARD chain, so "restore" flushes exactly what was injected and nothing else.
//   upstream-down  DROP everything the ISP forwards: its link stays up (the common failure)
//   loss P         drop a random share P of what it forwards (this kernel has no netem)
//   link-down      the ISP's end of the WAN veth goes down: the gateway loses carrier; the link's
//                  alias is tagged (converge.ts FAULT_TAG) so that a lab apply leaves it down
//   restore        no fault rules, the tag gone, the ISP's namespace converged (link up, its routes back)
// A lab apply keeps every injected fault and says so (faultNotes), it never undoes one silently.
import type { GatewayConfig } from "../model";
import { netns, run } from "../net/exec";
import { parseIpLinkJson } from "../net/parse/ip-link";
import { parseIptablesSave } from "../net/parse/iptables-save";
import { FAULT_TAG, configureLines, ipBatch, observe, splitAlias } from "./converge";
import { checkPrefix, ispNamespace, labTopology } from "./topology";

export const FAULT_CHAIN = "SYLAB-FAULT";
/** The ISP's side of the veth to the gateway (see topology.ts). */
const CUSTOMER_LINK = "cust0";

export type Fault = { kind: "upstream-down" } | { kind: "link-down" } | { kind: "loss"; pct: number } | { kind: "restore" };

export function faultNamespace(config: GatewayConfig, prefix: string, isp: string): string {
  checkPrefix(prefix);
  const i = config.isps.findIndex((x) => x.name === isp);
  if (i < 0) throw new Error(`there is no ISP named ${isp}`);
  return ispNamespace(prefix, i);
}

/** The restore input that makes the fault chain hold exactly `rules`. */
export function faultChainInput(rules: string[]): string {
  return ["*filter", `:${FAULT_CHAIN} - [0:0]`, ...rules.map((r) => `-A ${FAULT_CHAIN} ${r}`), "COMMIT", ""].join("\n");
}

export function faultRules(f: Fault): string[] {
  if (f.kind === "upstream-down") return ["-m comment --comment upstream-down -j DROP"];
  if (f.kind === "loss") {
    if (!Number.isFinite(f.pct) || f.pct <= 0 || f.pct > 100) throw new Error(`loss must be a percentage above 0 and at most 100, not ${f.pct}`);
    return [`-m statistic --mode random --probability ${(f.pct / 100).toFixed(4)} -m comment --comment loss-${f.pct}pct -j DROP`];
  }
  return [];
}

async function setChain(ns: string, rules: string[]) {
  const t = netns(ns);
  await run(t, "iptables-restore", ["--noflush"], { input: faultChainInput(rules) });
  const hooked = await run(t, "iptables", ["-C", "FORWARD", "-j", FAULT_CHAIN], { allowFailure: true });
  if (hooked.exitCode !== 0) await run(t, "iptables", ["-I", "FORWARD", "1", "-j", FAULT_CHAIN]);
}

/** The fault chain's rules in `iptables-save -t filter` output (none when the chain is not there). */
export const faultChainRules = (save: string): string[] =>
  parseIptablesSave(save)
    .chains.find((c) => c.table === "filter" && c.name === FAULT_CHAIN)
    ?.rules.map((r) => r.spec) ?? [];

async function customerAlias(ns: string): Promise<string | undefined> {
  const r = await run(netns(ns), "ip", ["-json", "link", "show", "dev", CUSTOMER_LINK]);
  return parseIpLinkJson(r.stdout)[0]?.alias;
}

export async function injectFault(config: GatewayConfig, prefix: string, isp: string, fault: Fault): Promise<{ namespace: string }> {
  const ns = faultNamespace(config, prefix, isp);
  if (fault.kind === "link-down") {
    const { alias } = splitAlias(await customerAlias(ns));
    // tagged first: an apply that converges the lab meanwhile already sees a fault, not a link to repair
    if (alias) await run(netns(ns), "ip", ["link", "set", "dev", CUSTOMER_LINK, "alias", `${alias}${FAULT_TAG}`]);
    await run(netns(ns), "ip", ["link", "set", "dev", CUSTOMER_LINK, "down"]);
  } else if (fault.kind === "restore") {
    await setChain(ns, []);
    const { alias, faultDown } = splitAlias(await customerAlias(ns));
    if (alias && faultDown) await run(netns(ns), "ip", ["link", "set", "dev", CUSTOMER_LINK, "alias", alias]);
    // the link up, and the routes the kernel dropped with it back
    await ipBatch(ns, configureLines(labTopology(config, prefix), ns, await observe(ns)));
  } else {
    // one fault at a time: a new one replaces the last
    await setChain(ns, faultRules(fault));
  }
  return { namespace: ns };
}

export interface FaultStatus {
  isp: string;
  namespace: string;
  linkUp: boolean;
  /** the link is held down by an injected link-down fault */
  linkDownByFault: boolean;
  rules: string[];
}

export async function faultStatus(config: GatewayConfig, prefix: string): Promise<FaultStatus[]> {
  return Promise.all(
    config.isps.map(async (isp) => {
      const ns = faultNamespace(config, prefix, isp.name);
      const [save, link] = await Promise.all([
        run(netns(ns), "iptables-save", ["-t", "filter"], { allowFailure: true }),
        run(netns(ns), "ip", ["-json", "link", "show", "dev", CUSTOMER_LINK], { allowFailure: true }),
      ]);
      const rules = faultChainRules(save.stdout);
      let linkUp = false;
      let linkDownByFault = false;
      try {
        const l = parseIpLinkJson(link.stdout)[0];
        linkUp = l?.up ?? false;
        linkDownByFault = !linkUp && splitAlias(l?.alias).faultDown;
      } catch {
        /* no such link: down */
      }
      return { isp: isp.name, namespace: ns, linkUp, linkDownByFault, rules };
    }),
  );
}

/** A fault rule as the user named it ("upstream down", "30% loss"). */
function ruleFault(rule: string): string {
  if (/--comment upstream-down\b/.test(rule)) return "upstream down";
  const loss = /--comment loss-([\d.]+)pct\b/.exec(rule);
  return loss ? `${loss[1]}% loss` : "packets dropped";
}

/** One line per ISP with an injected fault still in force, with the command that undoes it (for apply and status reports). */
export function faultNotes(status: FaultStatus[], prefix: string): string[] {
  const lab = prefix === "sy" ? "" : ` --lab ${prefix}`;
  return status.flatMap((s) => {
    const what = [...(s.linkDownByFault ? ["link down"] : []), ...s.rules.map(ruleFault)];
    return what.length ? [`${s.isp}: ${what.join(", ")} by an injected lab fault (restore with: switchyard${lab} lab fault ${s.isp} restore)`] : [];
  });
}
