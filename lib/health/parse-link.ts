// Pure parsers for a link's operational state: `ip -o monitor link` lines and `ip -json link`.
// Up means the kernel can send through it: operstate UP (or UNKNOWN, which some virtual
// devices report), and not a line announcing the link was deleted.
export interface LinkEvent {
  ifname: string;
  up: boolean;
}

// "8: hha@if7: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group ..."
const MONITOR = /^(Deleted )?\d+: ([^:@\s]+)(?:@[^:\s]+)?: <([^>]*)>.*?\bstate (\S+)/;

export function parseMonitorLinkLine(line: string): LinkEvent | null {
  const m = MONITOR.exec(line.trim());
  if (!m) return null;
  return { ifname: m[2], up: !m[1] && (m[4] === "UP" || m[4] === "UNKNOWN") && !m[3].split(",").includes("NO-CARRIER") };
}

export function parseLinkJson(text: string): LinkEvent[] {
  const links = JSON.parse(text.trim() || "[]") as { ifname: string; operstate?: string; flags?: string[] }[];
  return links.map((l) => ({ ifname: l.ifname, up: (l.operstate === "UP" || l.operstate === "UNKNOWN") && !(l.flags ?? []).includes("NO-CARRIER") }));
}
