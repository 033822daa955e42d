// The readable script: the commands an admin would type for the rendered state (the Ruleset
// page): the routing, then the firewall backend's part.
import { firewallOfState, type Firewall } from "@/lib/net/firewall";
import { routeArgs, ruleArgs, tableName } from "@/lib/net/routing/text";
import { ROUTE_PROTO_NAME, type KernelState } from "@/lib/net/types";

const ip = (family: number) => (family === 6 ? "ip -6" : "ip");

export function renderScript(state: KernelState, firewall: Firewall = firewallOfState(state)): string {
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
  let lastTable = "";
  for (const r of state.routes) {
    const table = `${r.family === 6 ? "IPv6 " : ""}table ${tableName(r.table, names)}`;
    if (table !== lastTable) {
      lines.push(`# ${table}`);
      lastTable = table;
    }
    lines.push(`${ip(r.family)} route replace ${routeArgs(r, names).join(" ")}`);
  }
  lines.push("", `# Policy rules, tagged "protocol ${state.rules[0]?.protocol ?? "201"}": Switchyard owns these and no others`);
  for (const r of state.rules) lines.push(`${ip(r.family)} rule add ${ruleArgs(r, names).join(" ")}`);
  lines.push(...firewall.scriptLines(state));
  return `${lines.join("\n")}\n`;
}
