// `nft -j list table inet switchyard` -> chains (rules as nft syntax, counters apart) and
// sets, in the same forms render/nft.ts writes. Pure.
//
// The printer covers the expressions Switchyard writes (and the common ones around them);
// anything else prints as `json:{...}`, which never equals a rendered rule: a rule someone
// changed by hand shows as drift instead of passing for Switchyard's. Marks print as nft
// prints them (8 hex digits); other numbers in decimal.
import type { IptChain, IptRule, NftBase, NftElement, NftSet } from "../types";
import { nftHex } from "../firewall/nftables/render";

type J = unknown;
type Obj = Record<string, J>;
const isObj = (x: J): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const raw = (x: J) => `json:${JSON.stringify(x)}`;

/** What an expression holds: a mark (its numbers print in hex), an interface name (quoted), or anything else. */
type Kind = "mark" | "ifname" | "plain";
function kindOf(e: J): Kind {
  if (!isObj(e)) return "plain";
  if (isObj(e.meta)) return e.meta.key === "mark" ? "mark" : e.meta.key === "iifname" || e.meta.key === "oifname" ? "ifname" : "plain";
  if (isObj(e.ct)) return e.ct.key === "mark" ? "mark" : "plain";
  for (const op of ["&", "|", "^"]) if (Array.isArray(e[op])) return kindOf((e[op] as J[])[0]);
  return "plain";
}
const isMark = (e: J) => kindOf(e) === "mark";

function value(v: J, kind: Kind | boolean): string {
  const k: Kind = kind === true ? "mark" : kind === false ? "plain" : kind;
  if (typeof v === "number") return k === "mark" ? nftHex(v) : String(v);
  if (typeof v === "string") return v.startsWith("@") || k !== "ifname" ? v : `"${v}"`;
  if (Array.isArray(v)) return `{ ${v.map((x) => value(x, k)).join(", ")} }`;
  if (isObj(v)) {
    if (isObj(v.prefix)) return `${v.prefix.addr}/${v.prefix.len}`;
    if (Array.isArray(v.range)) return `${value(v.range[0], k)}-${value(v.range[1], k)}`;
    if (Array.isArray(v.set))
      return `{ ${(v.set as J[]).map((x) => (Array.isArray(x) ? `${value(x[0], k)} : ${verdictOrValue(x[1])}` : value(x, k))).join(", ")} }`;
  }
  return expr(v);
}

function verdictOrValue(v: J): string {
  return verdict(v) ?? value(v, true);
}

function verdict(v: J): string | null {
  if (!isObj(v)) return null;
  for (const k of ["accept", "drop", "return", "continue"]) if (k in v && v[k] === null) return k;
  for (const k of ["jump", "goto"]) if (isObj(v[k])) return `${k} ${(v[k] as Obj).target}`;
  return null;
}

/** An expression (the left side of a match, a mangle's value, a map key). */
function expr(e: J): string {
  if (!isObj(e)) return typeof e === "number" ? String(e) : typeof e === "string" ? e : raw(e);
  if (isObj(e.meta)) {
    const k = String(e.meta.key);
    return ["iifname", "oifname", "iif", "oif"].includes(k) ? k : `meta ${k}`;
  }
  if (isObj(e.ct)) return `ct ${e.ct.dir ? `${e.ct.dir} ` : ""}${e.ct.key}`;
  if (isObj(e.payload)) return `${e.payload.protocol} ${e.payload.field}`;
  for (const op of ["&", "|", "^"]) {
    if (Array.isArray(e[op])) {
      const [l, r] = e[op] as J[];
      return `${expr(l)} ${op} ${value(r, isMark(l))}`;
    }
  }
  if (Array.isArray(e.concat)) return (e.concat as J[]).map(expr).join(" . ");
  if (isObj(e.numgen)) return `numgen ${e.numgen.mode} mod ${e.numgen.mod}${e.numgen.offset ? ` offset ${e.numgen.offset}` : ""}`;
  if (isObj(e.jhash))
    return `jhash ${expr(e.jhash.expr)} mod ${e.jhash.mod}${e.jhash.seed !== undefined ? ` seed 0x${Number(e.jhash.seed).toString(16)}` : ""}${e.jhash.offset ? ` offset ${e.jhash.offset}` : ""}`;
  if (isObj(e.map)) return `${expr(e.map.key)} map ${value(e.map.data, true)}`;
  return raw(e);
}

/** One statement of a rule; counters are returned apart. */
function statement(s: J, counter: { packets?: number; bytes?: number }): string {
  if (!isObj(s)) return raw(s);
  const v = verdict(s);
  if (v) return v;
  if (isObj(s.match)) {
    const { op, left, right } = s.match as { op: string; left: J; right: J };
    const r = value(right, kindOf(left));
    // nft prints "==" only after a binary operation (`meta mark & 0x000000ff == 0x00000000`)
    const binop = isObj(left) && ["&", "|", "^"].some((o) => o in left);
    if ((op === "==" && !binop) || op === "in") return `${expr(left)} ${r}`;
    return `${expr(left)} ${op} ${r}`;
  }
  if ("counter" in s) {
    if (isObj(s.counter)) {
      counter.packets = Number(s.counter.packets ?? 0);
      counter.bytes = Number(s.counter.bytes ?? 0);
    }
    return "counter";
  }
  if (isObj(s.mangle)) {
    const key = s.mangle.key;
    const val = s.mangle.value;
    return `${expr(key)} set ${isObj(val) ? expr(val) : value(val, isMark(key))}`;
  }
  if (isObj(s.vmap)) return `${expr(s.vmap.key)} vmap ${value(s.vmap.data, isMark(s.vmap.key))}`;
  if ("masquerade" in s) return s.masquerade === null ? "masquerade" : raw(s);
  if (isObj(s.snat) || isObj(s.dnat)) {
    const kind = s.snat ? "snat" : "dnat";
    const n = (s.snat ?? s.dnat) as Obj;
    // a prefix mapping (`snat ip6 prefix to 2001:db8:b:1::/64`: nft stores flags netmap, type_flags prefix)
    const prefix = n.type_flags === "prefix" || (Array.isArray(n.type_flags) && n.type_flags.includes("prefix"));
    if (prefix && isObj(n.addr)) return `${kind}${n.family ? ` ${n.family}` : ""} prefix to ${value(n.addr, false)}`;
    return `${kind}${n.family ? ` ${n.family}` : ""} to ${typeof n.addr === "string" ? n.addr : raw(n.addr)}${n.port !== undefined ? `:${n.port}` : ""}`;
  }
  if (isObj(s.reject)) return `reject${s.reject.type ? ` with ${s.reject.type} ${s.reject.expr}` : ""}`;
  if ("reject" in s && s.reject === null) return "reject";
  return raw(s);
}

export function printRule(exprs: J[]): IptRule {
  const counter: { packets?: number; bytes?: number } = {};
  const spec = exprs.map((s) => statement(s, counter)).join(" ");
  return { spec, ...counter };
}

function element(e: J, isMap: boolean, markKey: boolean): NftElement {
  const [k, v] = isMap && Array.isArray(e) ? e : [e, undefined];
  const out: NftElement = { key: "" };
  let key = k;
  if (isObj(k) && isObj(k.elem)) {
    key = k.elem.val;
    if (isObj(k.elem.counter)) {
      out.packets = Number(k.elem.counter.packets ?? 0);
      out.bytes = Number(k.elem.counter.bytes ?? 0);
    }
  }
  out.key = value(key, markKey);
  if (isMap) out.value = verdictOrValue(v);
  return out;
}

export interface NftObserved {
  chains: IptChain[];
  sets: NftSet[];
}

/** The objects of one table from `nft -j list table FAMILY NAME` (or from `nft -j list ruleset`: the other tables' objects are skipped). */
export function parseNftTableJson(text: string, family = "inet", name = "switchyard"): NftObserved {
  const ours = (o: Obj) => o.family === family && (o.table ?? o.name) === name;
  const items = ((JSON.parse(text) as { nftables?: J[] }).nftables ?? []).filter((i) => isObj(i) && Object.values(i).some((o) => isObj(o) && ours(o)));
  const chains: IptChain[] = [];
  const sets: NftSet[] = [];
  const byName = new Map<string, IptChain>();
  for (const item of items) {
    if (!isObj(item)) continue;
    if (isObj(item.chain)) {
      const c = item.chain;
      const base: NftBase | undefined = c.hook
        ? { type: c.type as NftBase["type"], hook: c.hook as NftBase["hook"], priority: Number(c.prio), policy: (c.policy ?? "accept") as NftBase["policy"] }
        : undefined;
      const chain: IptChain = { table: "nft", name: String(c.name), rules: [], ...(base ? { base } : {}) };
      chains.push(chain);
      byName.set(chain.name, chain);
    } else if (isObj(item.rule)) {
      byName.get(String(item.rule.chain))?.rules.push(printRule((item.rule.expr as J[]) ?? []));
    } else if (isObj(item.set) || isObj(item.map)) {
      const s = (item.set ?? item.map) as Obj;
      const isMap = Boolean(item.map);
      const markKey = s.type === "mark";
      const counter = Array.isArray(s.stmt) && (s.stmt as J[]).some((x) => isObj(x) && "counter" in x);
      sets.push({
        name: String(s.name),
        type: String(s.type),
        ...(isMap ? { map: String(s.map) } : {}),
        ...(counter ? { counter: true } : {}),
        elements: ((s.elem as J[]) ?? []).map((e) => element(e, isMap, markKey)),
      });
    }
  }
  return { chains, sets };
}

/** `nft -j list tables` -> "family name" of each table. */
export function parseNftTables(text: string): string[] {
  // `list tables` or `list ruleset`: the table objects are the same
  const items = (JSON.parse(text || "{}") as { nftables?: J[] }).nftables ?? [];
  return items.filter((i): i is { table: Obj } => isObj(i) && isObj(i.table)).map((i) => `${i.table.family} ${i.table.name}`);
}
