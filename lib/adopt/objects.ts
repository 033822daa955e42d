// The old objects as an admin would find them in the output of `ip` and `iptables-save`,
// and the small matchers the inference reads iptables rules with. Pure.
export { routeText, ruleText } from "@/lib/net/routing/text";
import type { IptRuleRef } from "./types";

export const iptText = (r: IptRuleRef) => `iptables -t ${r.table} -A ${r.chain} ${r.spec}`;

const FLAGS = new Set(["--restore-mark", "--save-mark"]);

/**
 * An iptables-save rule spec as option -> value, or null when it holds anything else than
 * the allowed options (a negation, a protocol, a port, a match module...): such a rule is
 * more than the inference can map, and stays foreign.
 */
export function simpleOptions(spec: string, allowed: readonly string[]): Map<string, string> | null {
  const t = spec.split(" ").filter(Boolean);
  const out = new Map<string, string>();
  for (let i = 0; i < t.length; i++) {
    const opt = t[i];
    if (!allowed.includes(opt) || out.has(opt)) return null;
    if (FLAGS.has(opt)) {
      out.set(opt, "");
      continue;
    }
    const val = t[i + 1];
    if (val === undefined || val === "!") return null;
    out.set(opt, val);
    i++;
  }
  return out;
}

/** "0x1/0xffffffff" -> {value, mask}; a bare value writes all 32 bits. */
export function parseMarkValue(s: string): { value: number; mask: number } | null {
  const [v, m] = s.split("/");
  const value = Number(v);
  const mask = m === undefined ? 0xffffffff : Number(m);
  return Number.isInteger(value) && Number.isInteger(mask) ? { value, mask } : null;
}

/** The classic "already marked: leave it" shortcut, `-m mark ! --mark 0x0 -j ACCEPT`. */
export const SKIP_MARKED = /^(?:-i \S+ )?-m mark ! --mark 0x0(?:\/0x[0-9a-f]+)? -j (?:ACCEPT|RETURN)$/;
