// routing as text: the `ip route` and `ip rule` arguments apply feeds to `ip -batch`, and the
// checks that keep anything but a validated token out of them.
import type { Route, Rule } from "@/lib/net/types";

/** Defence in depth: values were validated at the boundary; a token with whitespace still never reaches a command. */
export function assertToken(value: string, what: string): string {
  if (!/^[A-Za-z0-9_.:/-]+$/.test(value)) throw new Error(`refusing to render ${what} ${JSON.stringify(value)}`);
  return value;
}

const KERNEL_TABLE_NAMES = new Set(["main", "local", "default", "unspec", "all"]);

/**
 * Defence in depth for a routing-table name (an ISP's name: rt_tables.d, `ip rule` output, the
 * script). The same rule as validation's ispName; a newline here would write a line of its own
 * into /etc/iproute2/rt_tables.d/switchyard.conf.
 */
export function assertTableName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,30}$/.test(name) || KERNEL_TABLE_NAMES.has(name.toLowerCase())) {
    throw new Error(
      `refusing to render the routing table name ${JSON.stringify(name)}: an ISP name must start with a letter and have at most 31 letters, digits, '-' or '_' (and not be one of the kernel's own table names)`,
    );
  }
  return name;
}

export const tableName = (n: number, names: Map<number, string>) => (n === 254 ? "main" : (names.get(n) ?? String(n)));

/** `ip route` arguments (after "route add|replace|del"); tables by number unless names are given (for display). */
export function routeArgs(r: Route, names?: Map<number, string>): string[] {
  const a = [assertToken(r.dst, "route destination")];
  if (r.from) a.push("from", assertToken(r.from, "route source"));
  if (r.gateway) a.push("via", assertToken(r.gateway, "gateway"));
  a.push("dev", assertToken(r.dev, "interface"));
  if (r.onlink) a.push("onlink");
  if (r.scope === "link") a.push("scope", "link");
  if (r.src) a.push("src", assertToken(r.src, "source address"));
  if (r.protocol) a.push("proto", assertToken(r.protocol, "protocol"));
  if (r.metric !== undefined) a.push("metric", String(r.metric));
  a.push("table", names ? tableName(r.table, names) : String(r.table));
  return a;
}

/** `ip rule` arguments (after "rule add|del"); tables by number unless names are given (for display). */
export function ruleArgs(r: Rule, names?: Map<number, string>): string[] {
  const a = ["priority", String(r.priority)];
  if (r.src) a.push("from", assertToken(r.src, "rule source"));
  if (r.dst) a.push("to", assertToken(r.dst, "rule destination"));
  if (r.fwmark !== undefined) a.push("fwmark", `0x${r.fwmark.toString(16)}${r.fwmask !== undefined ? `/0x${r.fwmask.toString(16)}` : ""}`);
  if (r.iif) a.push("iif", assertToken(r.iif, "interface"));
  if (r.oif) a.push("oif", assertToken(r.oif, "interface"));
  if (r.action === "goto") a.push("goto", String(r.goto));
  else if (r.action) a.push(assertToken(r.action, "rule action"));
  else a.push("lookup", names ? tableName(r.table, names) : String(r.table));
  if (r.suppressPrefixLength !== undefined) a.push("suppress_prefixlength", String(r.suppressPrefixLength));
  if (r.protocol) a.push("protocol", assertToken(r.protocol, "protocol"));
  return a;
}

// A foreign or owned rule and route as an admin finds them in `ip` output (never throws: a
// foreign object may hold what render refuses).
export function ruleText(r: Rule): string {
  try {
    return `ip ${r.family === 6 ? "-6 " : ""}rule ${ruleArgs(r).join(" ")}${r.not ? " (not)" : ""}${r.extra ? ` ${JSON.stringify(r.extra)}` : ""}`;
  } catch {
    return `ip rule ${JSON.stringify(r)}`;
  }
}

export function routeText(r: Route): string {
  const ip = r.family === 6 ? "ip -6" : "ip";
  if (r.nexthops?.length) return `${ip} route ${r.dst} table ${r.table} (multipath via ${r.nexthops.map((n) => n.dev).join(", ")})`;
  try {
    return `${ip} route ${routeArgs(r).join(" ")}`;
  } catch {
    return `ip route ${JSON.stringify(r)}`;
  }
}
