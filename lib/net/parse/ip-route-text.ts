// `ip route show table all` (text, for the literal view) -> its lines grouped per table, in
// the order main, numbered (ISP) tables, local, others. Pure. A line names its table
// ("... table 100 proto 201"), except main's; the table word is cut out, as
// `ip route show table X` would print the line.
export interface RouteTableText {
  table: string;
  lines: string[];
}

export function parseRoutesByTable(text: string): RouteTableText[] {
  const byTable = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const m = / table (\S+)/.exec(line);
    const table = m ? m[1] : "main";
    const shown = m ? line.replace(m[0], "") : line;
    byTable.set(table, [...(byTable.get(table) ?? []), shown]);
  }
  const rank = (t: string) => (t === "main" ? 0 : /^\d+$/.test(t) ? 1 : t === "local" ? 3 : 2);
  return [...byTable.keys()]
    .sort((a, b) => rank(a) - rank(b) || Number(a) - Number(b) || a.localeCompare(b))
    .map((table) => ({ table, lines: byTable.get(table)! }));
}
