// `nft -j list ruleset` -> the chains of every table but Switchyard's, each rule reduced to
// what decides whom it affects and what it does to them (source, interfaces, NAT, mark
// writes). Pure. The override lint (lib/net/lint-hooks.ts) orders these chains against
// Switchyard's own by hook and priority.
//
// Chains made by iptables-nft (its `ip nat`, `ip mangle`, ... tables) hold opaque `xt`
// objects here (an SNAT's address is missing): they are read from iptables-save instead, so
// the caller names them in `skip` and they are not reported twice. A native chain inside
// such a table (an /etc/nftables.conf with `table ip nat { chain postrouting ... }`) is read.
import { printRule } from "./nft-json";

type J = unknown;
type Obj = Record<string, J>;
const isObj = (x: J): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

/** One rule, as far as the lint needs it. Selectors absent = any. */
export interface HookRule {
  /** the rule as nft prints it (counters apart) */
  text: string;
  /** `ip saddr` matches ("10.20.0.0/24", "10.20.0.50") */
  src?: string[];
  /** `ip saddr != ...` */
  srcNot?: string[];
  iif?: string[];
  oif?: string[];
  oifNot?: string[];
  /** matches the lint cannot place (a destination, a mark, IPv6, a negated input): the rule is left out, never guessed at */
  opaque?: string;
  /** snat/masquerade: the NAT it decides ("masquerade" or the address) */
  nat?: string;
  /** the packet mark bits it writes (0: none) */
  writesMark: number;
  /** the connection mark bits it writes (0: none) */
  writesCtMark: number;
  /** jump/goto to a chain of the same table */
  jump?: string;
}

/** A chain of a foreign table: base chains carry their hook and priority. */
export interface HookChain {
  family: string;
  table: string;
  name: string;
  hook?: string;
  type?: string;
  priority?: number;
  rules: HookRule[];
}

const ALL_BITS = 0xffffffff;

function addresses(right: J): string[] | null {
  if (typeof right === "string") return [right];
  if (isObj(right) && isObj(right.prefix)) return [`${right.prefix.addr}/${right.prefix.len}`];
  if (isObj(right) && Array.isArray(right.set)) {
    const all = (right.set as J[]).map(addresses);
    return all.every(Boolean) ? (all.flat() as string[]) : null;
  }
  return null;
}

function names(right: J): string[] | null {
  if (typeof right === "string") return [right];
  if (isObj(right) && Array.isArray(right.set) && right.set.every((x) => typeof x === "string")) return right.set as string[];
  return null;
}

/**
 * The mark bits a `meta mark set VALUE` / `ct mark set VALUE` writes: `x & KEEP | SET` (or
 * `x & KEEP`, `x | SET`) on the same key touches ~KEEP | SET; anything else (a constant, a
 * copy of the other mark) writes all 32 bits.
 */
function bitsWritten(key: "meta" | "ct", value: J): number {
  const same = (e: J) => isObj(e) && isObj(e[key]) && (e[key] as Obj).key === "mark";
  if (isObj(value) && Array.isArray(value["|"])) {
    const [l, r] = value["|"] as J[];
    if (typeof r === "number") {
      if (same(l)) return r >>> 0;
      if (isObj(l) && Array.isArray(l["&"]) && same((l["&"] as J[])[0]) && typeof (l["&"] as J[])[1] === "number")
        return (~((l["&"] as J[])[1] as number) | r) >>> 0;
    }
  }
  if (isObj(value) && Array.isArray(value["&"]) && same((value["&"] as J[])[0]) && typeof (value["&"] as J[])[1] === "number")
    return ~((value["&"] as J[])[1] as number) >>> 0;
  return ALL_BITS;
}

/** One rule's statements -> what it matches and does. */
export function describeRule(exprs: J[]): HookRule {
  const r: HookRule = { text: printRule(exprs).spec, writesMark: 0, writesCtMark: 0 };
  const opaque = (why: string) => {
    r.opaque ??= why;
  };
  for (const s of exprs) {
    if (!isObj(s)) continue;
    if (isObj(s.match)) {
      const { op, left, right } = s.match as { op: string; left: J; right: J };
      const eq = op === "==" || op === "in";
      const neq = op === "!=";
      if (isObj(left) && isObj(left.payload) && left.payload.protocol === "ip" && left.payload.field === "saddr") {
        const a = addresses(right);
        if (!a || !(eq || neq)) opaque("a source match it cannot read");
        else if (eq) r.src = a;
        else r.srcNot = a;
      } else if (isObj(left) && isObj(left.payload) && left.payload.protocol === "ip" && left.payload.field === "daddr") {
        opaque("a destination match");
      } else if (isObj(left) && isObj(left.payload) && left.payload.protocol === "ip6") {
        opaque("IPv6");
      } else if (isObj(left) && isObj(left.meta) && (left.meta.key === "oifname" || left.meta.key === "iifname")) {
        const n = names(right);
        const out = left.meta.key === "oifname";
        if (!n || n.some((x) => x.includes("*"))) opaque("an interface pattern");
        else if (eq) r[out ? "oif" : "iif"] = n;
        else if (neq && out) r.oifNot = n;
        else opaque("a negated input interface");
      } else if (isObj(left) && isObj(left.meta) && left.meta.key === "nfproto") {
        if (right !== "ipv4" || !eq) opaque("not IPv4");
      } else if (isObj(left) && (isObj(left.meta) || isObj(left.ct) || ["&", "|", "^"].some((o) => o in left))) {
        const inner = ["&", "|", "^"].map((o) => (isObj(left) && Array.isArray(left[o]) ? (left[o] as J[])[0] : null)).find(Boolean) ?? left;
        const key = isObj(inner) ? ((inner.meta ?? inner.ct) as Obj | undefined)?.key : undefined;
        // a connection's state, a protocol, a port narrow what is affected but do not exclude a LAN host
        if (key === "mark" || (isObj(inner) && isObj(inner.meta) && key !== "l4proto" && key !== "protocol"))
          opaque(`a ${isObj(inner) && inner.ct ? "ct " : "meta "}${String(key)} match`);
      }
      continue;
    }
    if (isObj(s.snat)) {
      const addr = (s.snat as Obj).addr;
      r.nat = typeof addr === "string" ? addr : JSON.stringify(addr);
    } else if ("masquerade" in s) r.nat = "masquerade";
    else if (isObj(s.mangle) && isObj(s.mangle.key)) {
      const key = s.mangle.key as Obj;
      if (isObj(key.meta) && key.meta.key === "mark") r.writesMark |= bitsWritten("meta", s.mangle.value);
      if (isObj(key.ct) && key.ct.key === "mark") r.writesCtMark |= bitsWritten("ct", s.mangle.value);
    } else if (isObj(s.jump) || isObj(s.goto)) r.jump = String(((s.jump ?? s.goto) as Obj).target);
  }
  r.writesMark >>>= 0;
  r.writesCtMark >>>= 0;
  return r;
}

/**
 * Every chain of every table but Switchyard's (`skipTable`: "inet switchyard") and the
 * chains named in `skip` ("ip nat POSTROUTING": iptables-nft's, read from iptables-save).
 * IPv4 only: `ip` and `inet` tables (`ip6`, `bridge`, `netdev`, `arp` never NAT or mark LAN IPv4 traffic on its way out).
 */
export function parseNftRuleset(text: string, skipTable: string, skip: Set<string> = new Set()): HookChain[] {
  const items = ((JSON.parse(text || "{}") as { nftables?: J[] }).nftables ?? []).filter(isObj);
  const chains = new Map<string, HookChain>();
  const id = (o: Obj, name: J) => `${o.family} ${o.table} ${name}`;
  for (const item of items) {
    if (isObj(item.chain)) {
      const c = item.chain;
      if (c.family !== "ip" && c.family !== "inet") continue;
      if (`${c.family} ${c.table}` === skipTable || skip.has(id(c, c.name))) continue;
      chains.set(id(c, c.name), {
        family: String(c.family),
        table: String(c.table),
        name: String(c.name),
        rules: [],
        ...(c.hook ? { hook: String(c.hook), type: String(c.type), priority: Number(c.prio) } : {}),
      });
    } else if (isObj(item.rule)) {
      chains.get(id(item.rule, item.rule.chain))?.rules.push(describeRule((item.rule.expr as J[]) ?? []));
    }
  }
  return [...chains.values()];
}
