// `ip -json rule show` -> Rule[]. What `ip` prints (iproute2 6.1, see
// tests/fixtures/kernel/NORMALISATION.md):
//   {"priority":10100,"src":"all","fwmark":"0x1","fwmask":"0xff","table":"100"}
// - "src":"all" means no source selector; a prefix length comes separately
//   ("srclen":8) and is left out for host addresses.
// - fwmark/fwmask are hex strings; fwmask is left out when it is 0xffffffff.
// - "table" is always a string: a name from rt_tables ("main", "isp1") or digits.
// - rules that look up no table print "goto":N, "nop":null or "action":"unreachable"
//   (with -N: "action":"7") instead of "table".
// - the key is "suppress_prefixlen" (not ...length as in the command).
// - "protocol":"201" is printed for rules added with `protocol 201` (Switchyard owns
//   rules by this tag); rules added without one print no "protocol" at all.
import type { Family } from "../family";
import type { Rule } from "../types";
import { num, parseIpJsonArray, str, tableNumber, toCidr } from "./rt-tables";

const FULL_MASK = 0xffffffff;
/** FR_ACT_* numbers, for `ip -N` output */
const ACTIONS: Record<string, string> = { "6": "blackhole", "7": "unreachable", "8": "prohibit" };
/** keys modelled by Rule */
const KNOWN = new Set([
  "priority",
  "not",
  "src",
  "srclen",
  "dst",
  "dstlen",
  "fwmark",
  "fwmask",
  "iif",
  "oif",
  "table",
  "goto",
  "nop",
  "action",
  "suppress_prefixlen",
  "suppress_prefixlength",
  "protocol",
]);
/** keys that describe a rule without changing what it matches */
const INFORMATIONAL = new Set(["unresolved", "iif_detached", "oif_detached"]);

/** `family`: the one the command was built for (`ip -4|-6 rule`, lib/net/family.ts): ip prints none. */
export function parseIpRuleJson(text: string, tableNames?: ReadonlyMap<string, number>, family: Family = 4): Rule[] {
  return parseIpJsonArray(text, "ip rule").map((r) => {
    const priority = num(r.priority);
    if (priority === undefined) throw new Error(`ip rule: entry without priority: ${JSON.stringify(r)}`);
    const rule: Rule = { family, priority, table: "table" in r ? tableNumber(r.table, tableNames) : 0 };
    if ("not" in r) rule.not = true;
    const src = str(r.src);
    if (src && src !== "all") rule.src = toCidr(src, r.srclen);
    const dst = str(r.dst);
    if (dst && dst !== "all") rule.dst = toCidr(dst, r.dstlen);
    const fwmark = str(r.fwmark);
    if (fwmark !== undefined) {
      rule.fwmark = parseHex(fwmark, r);
      rule.fwmask = r.fwmask === undefined ? FULL_MASK : parseHex(str(r.fwmask) ?? "", r);
    }
    if (str(r.iif)) rule.iif = str(r.iif);
    if (str(r.oif)) rule.oif = str(r.oif);
    const suppress = num(r.suppress_prefixlen) ?? num(r.suppress_prefixlength);
    if (suppress !== undefined) rule.suppressPrefixLength = suppress;
    if ("goto" in r) {
      rule.action = "goto";
      rule.goto = num(r.goto);
    } else if ("nop" in r) {
      rule.action = "nop";
    } else if (str(r.action)) {
      rule.action = ACTIONS[r.action as string] ?? (r.action as string);
    }
    // `ip -d` prints "unspec"/"kernel" where plain `ip` prints nothing: the same rule either way
    const proto = str(r.protocol);
    if (proto && !["unspec", "kernel", "0", "2"].includes(proto)) rule.protocol = proto === "switchyard" ? "201" : proto;
    const extra = Object.entries(r).filter(([k]) => !KNOWN.has(k) && !INFORMATIONAL.has(k));
    if (extra.length) rule.extra = Object.fromEntries(extra);
    return rule;
  });
}

function parseHex(s: string, entry: unknown): number {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(s)) throw new Error(`ip rule: bad mark ${JSON.stringify(s)} in ${JSON.stringify(entry)}`);
  return Number(s);
}
