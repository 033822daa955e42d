// Display helpers for the live view. Pure, and safe on foreign state (nothing here throws on
// values Switchyard would refuse to render).
import type { IptChain, Route, Rule } from "@/lib/net/types";

export { formatBytes } from "@/lib/units";
import { formatBytes } from "@/lib/units";

export const formatRate = (bytesPerSecond: number | undefined) => (bytesPerSecond === undefined ? "–" : `${formatBytes(bytesPerSecond)}/s`);

export const formatCount = (n: number) => n.toLocaleString("en-US");

/**
 * A rule's counters, or null when it has none: an nftables rule counts only with a `counter`
 * statement (Switchyard's NAT rules have none), and "0 packets" there would read as a rule
 * that never matched. iptables counts every rule (`iptables-save -c`).
 */
export function ruleCounters(r: { packets?: number; bytes?: number }): { packets: number; bytes: number } | null {
  return r.packets === undefined && r.bytes === undefined ? null : { packets: r.packets ?? 0, bytes: r.bytes ?? 0 };
}

export function formatPacketRate(pps: number | undefined): string {
  if (pps === undefined) return "–";
  return pps === 0 ? "0/s" : pps < 10 ? `${pps.toFixed(1)}/s` : `${Math.round(pps).toLocaleString("en-US")}/s`;
}

const TABLE_NAMES: Record<number, string> = { 253: "default", 254: "main", 255: "local" };

/** 254 -> "main"; 200 -> "200 (ISP2)" when an ISP uses it. */
export function tableLabel(table: number, ispTables: ReadonlyMap<number, string>): string {
  const name = TABLE_NAMES[table];
  if (name) return name;
  const isp = ispTables.get(table);
  return isp ? `${table} (${isp})` : String(table);
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** What a rule matches, as `ip rule` would print it: "from 10.0.0.0/8 fwmark 0x1/0xff", or "all". */
export function ruleSelector(r: Rule): string {
  const parts: string[] = [];
  if (r.not) parts.push("not");
  if (r.src) parts.push(`from ${r.src}`);
  if (r.dst) parts.push(`to ${r.dst}`);
  if (r.fwmark !== undefined) parts.push(`fwmark ${hex(r.fwmark)}${r.fwmask !== undefined && r.fwmask !== 0xffffffff ? `/${hex(r.fwmask)}` : ""}`);
  if (r.iif) parts.push(`iif ${r.iif}`);
  if (r.oif) parts.push(`oif ${r.oif}`);
  for (const [k, v] of Object.entries(r.extra ?? {})) parts.push(v === null ? k : `${k} ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  return parts.length ? parts.join(" ") : "all";
}

/** What a rule does: "lookup main", "lookup 200 (ISP2) suppress_prefixlength 0", "goto 32766", "unreachable". */
export function ruleAction(r: Rule, ispTables: ReadonlyMap<number, string>): string {
  if (r.action === "goto") return `goto ${r.goto ?? "?"}`;
  if (r.action) return r.action;
  const s = `lookup ${tableLabel(r.table, ispTables)}`;
  return r.suppressPrefixLength !== undefined ? `${s} suppress_prefixlength ${r.suppressPrefixLength}` : s;
}

const PROTOCOLS: Record<string, string> = { "2": "kernel", "3": "boot", "4": "static", "16": "dhcp", "201": "201 (Switchyard)" };

/** Route protocols print as numbers (ip -N): name the usual ones. */
export const protocolLabel = (p: string | undefined) => (p === undefined ? "" : (PROTOCOLS[p] ?? p));

export const routeVia = (r: Route) =>
  r.nexthops?.length ? r.nexthops.map((h) => `${h.gateway ?? "direct"} dev ${h.dev}${h.weight ? ` weight ${h.weight}` : ""}`).join(", ") : (r.gateway ?? "");

/** Routing tables in display order: ISP tables (by number), main, then the rest. */
export function tableOrder(a: number, b: number): number {
  const rank = (t: number) => (t === 254 ? 1 : t === 255 ? 3 : t === 253 ? 2 : t > 0 && t < 253 ? 0 : 2);
  return rank(a) - rank(b) || a - b;
}

export const chainKey = (c: Pick<IptChain, "table" | "name">) => `${c.table}/${c.name}`;

/** "3 s ago", "2 min ago" */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : `${Math.floor(s / 3600)} h ago`;
}
