// `ip -json neigh show` -> Neighbour[]. Pure. What `ip` prints:
//   {"dst":"203.0.113.1","dev":"eth0","lladdr":"aa:bb:cc:dd:ee:ff","state":["REACHABLE"]}
// - a FAILED or INCOMPLETE entry has no "lladdr"; "state" is a list ("STALE", or several).
import { familyOfAddress, type Family } from "../family";
import { parseIpJsonArray, str } from "./rt-tables";

export interface Neighbour {
  family: Family;
  dst: string;
  dev: string;
  lladdr?: string;
  /** as printed, e.g. ["REACHABLE"]; empty when ip printed none */
  state: string[];
}

export function parseIpNeighJson(text: string): Neighbour[] {
  return parseIpJsonArray(text, "ip neigh").map((n) => {
    const dst = str(n.dst) ?? "";
    return {
      family: familyOfAddress(dst),
      dst,
      dev: str(n.dev) ?? "",
      ...(str(n.lladdr) ? { lladdr: str(n.lladdr) } : {}),
      state: Array.isArray(n.state) ? n.state.map(String) : [],
    };
  });
}
