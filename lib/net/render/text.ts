// render: desired kernel state -> text. Two forms of the same state:
// - the exact iptables-restore input that apply feeds to `iptables-restore --noflush`
//   (declaring our own chains replaces just them, in one transaction per table);
// - a readable script, the commands an admin would type, for the Ruleset page.
import type { IptChain, IptTable, KernelState, Route, Rule } from "@/lib/net/types";
import { NFT_TABLE, ROUTE_PROTO_NAME } from "@/lib/net/types";
import { renderNftTable } from "./nft-text";

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
    throw new Error(`refusing to render the routing table name ${JSON.stringify(name)}: an ISP name must start with a letter and have at most 31 letters, digits, '-' or '_' (and not be one of the kernel's own table names)`);
  }
  return name;
}

const tableName = (n: number, names: Map<number, string>) => (n === 254 ? "main" : names.get(n) ?? String(n));

/** `ip route` arguments (after "route add|replace|del"); tables by number unless names are given (for display). */
export function routeArgs(r: Route, names?: Map<number, string>): string[] {
  const a = [assertToken(r.dst, "route destination")];
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

function assertSpec(spec: string): string {
  if (!/^[A-Za-z0-9 _.:/!,-]+$/.test(spec)) throw new Error(`refusing to render iptables rule ${JSON.stringify(spec)}`);
  return spec;
}

/** iptables-restore input replacing exactly the given chains (nothing else is flushed under --noflush). */
export function renderIptablesRestore(chains: IptChain[], extraLines: Partial<Record<IptTable, string[]>> = {}): string {
  const out: string[] = [];
  for (const table of ["mangle", "nat", "filter"] as IptTable[]) {
    const mine = chains.filter((c) => c.table === table);
    const extra = extraLines[table] ?? [];
    if (mine.length === 0 && extra.length === 0) continue;
    out.push(`*${table}`);
    for (const c of mine) out.push(`:${assertToken(c.name, "chain")} - [0:0]`);
    for (const c of mine) for (const r of c.rules) out.push(`-A ${c.name} ${assertSpec(r.spec)}`);
    out.push(...extra.map(assertSpec));
    out.push("COMMIT");
  }
  return out.length ? `${out.join("\n")}\n` : "";
}

export function renderScript(state: KernelState): string {
  const names = new Map(state.rtTables.map((t) => [t.number, t.name]));
  const lines: string[] = [
    "# Switchyard ruleset, rendered from the configuration.",
    "# Switchyard applies exactly this, and touches nothing else on the gateway.",
    "",
    "# Routing table names (/etc/iproute2/rt_tables.d/switchyard.conf)",
    ...state.rtTables.map((t) => `#   ${t.number}\t${t.name}`),
    "",
    `# Routes, tagged "proto ${state.routes[0]?.protocol ?? "201"}" (${ROUTE_PROTO_NAME}) so they can be told from foreign ones`,
  ];
  let lastTable = -1;
  for (const r of state.routes) {
    if (r.table !== lastTable) {
      lines.push(`# table ${tableName(r.table, names)}`);
      lastTable = r.table;
    }
    lines.push(`ip route replace ${routeArgs(r, names).join(" ")}`);
  }
  lines.push("", `# Policy rules, tagged "protocol ${state.rules[0]?.protocol ?? "201"}": Switchyard owns these and no others`);
  for (const r of state.rules) lines.push(`ip rule add ${ruleArgs(r, names).join(" ")}`);
  if (state.chains.some((c) => c.table === "nft")) {
    lines.push("", `# Packet marks, connection marks and NAT, in Switchyard's own nftables table: replaced as one`,
      "# transaction (nothing else in the ruleset is touched; hosts are one map lookup per new connection)",
      "nft -f - <<'EOF'", renderNftReplace(state).trimEnd(), "EOF");
    return `${lines.join("\n")}\n`;
  }
  lines.push("", "# Packet marks, connection marks and NAT, in Switchyard's own chains", "iptables-restore --noflush <<'EOF'");
  lines.push(renderIptablesRestore(state.chains).trimEnd(), "EOF", "", "# One jump from each built-in chain into Switchyard's (the mark re-assertion goes last)");
  for (const h of state.hooks) {
    const add = h.last ? `-A ${h.chain}` : `-I ${h.chain} 1`;
    lines.push(`iptables -t ${h.table} -C ${h.chain} ${h.spec} 2>/dev/null || iptables -t ${h.table} ${add} ${h.spec}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `nft -f` input that replaces Switchyard's table whole, in one transaction (create, delete, define). */
export function renderNftReplace(state: Pick<KernelState, "chains" | "sets">): string {
  return `add table ${NFT_TABLE}\ndelete table ${NFT_TABLE}\n${renderNftTable(state.chains.filter((c) => c.table === "nft"), state.sets ?? [])}`;
}
