// `ip -json -batch -` output -> one JSON text per command of the batch. Pure.
// ip prints one JSON array per command, each on its own line, in the order of the input; a
// batch that stopped early (a command failed) prints fewer lines: that is an error, not an
// empty list. Each line is then read by the parser of its command (ip-link.ts, ip-neigh.ts, ...).
import { parseIpLinkJson, type IpLink } from "./ip-link";
import { parseIpNeighJson, type Neighbour } from "./ip-neigh";

export function splitIpJsonBatch(stdout: string, commands: readonly string[]): string[] {
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  if (lines.length !== commands.length) throw new Error(`ip -batch (${commands.join(", ")}): expected ${commands.length} JSON lines, got ${lines.length}`);
  return lines;
}

/** The batch the live view sends: links and neighbours in one process. */
export const LINK_NEIGH_COMMANDS = ["link show", "neigh show"] as const;
export const LINK_NEIGH_BATCH = `${LINK_NEIGH_COMMANDS.join("\n")}\n`;

export function parseLinkNeighBatch(stdout: string): { links: IpLink[]; neighbours: Neighbour[] } {
  const [links, neigh] = splitIpJsonBatch(stdout, LINK_NEIGH_COMMANDS);
  return { links: parseIpLinkJson(links), neighbours: parseIpNeighJson(neigh) };
}
