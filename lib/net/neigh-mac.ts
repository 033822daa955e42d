// A host's MAC as the gateway's neighbour table shows it for the host's IPv4 address (issue 23,
// docs/ipv6.md): hosts are matched by MAC for IPv6, so a host without one has no IPv6 placement;
// the UI and the CLI offer the MAC seen on the LAN. The choice is pure (macSeen); reading the
// table is one `ip -4 -json neigh show` in the target's namespace.
import type { Target } from "./exec";
import { run } from "./exec";
import { ipArgs } from "./family";
import { parseIpNeighJson, type Neighbour } from "./parse/ip-neigh";

export type MacSeen = { ok: true; mac: string; dev: string; state: string } | { ok: false; why: string };

/** A usable entry's rank: a confirmed one (REACHABLE, or a static PERMANENT) before one being rechecked, before an old STALE one. */
const RANK = ["REACHABLE", "PERMANENT", "DELAY", "PROBE", "STALE", "NOARP"];
const rank = (n: Neighbour) => Math.min(...n.state.map((s) => (RANK.includes(s) ? RANK.indexOf(s) : RANK.length)), RANK.length);
const unusable = (n: Neighbour) => !n.lladdr || n.state.some((s) => s === "FAILED" || s === "INCOMPLETE");

/**
 * The MAC the table holds for this IPv4 address: a FAILED or INCOMPLETE entry is not a MAC; of
 * several entries (one address on two interfaces), the best state wins; two different MACs
 * equally fresh are refused (which one is the host is not known).
 */
export function macSeen(neighbours: readonly Neighbour[], address: string): MacSeen {
  const mine = neighbours.filter((n) => n.family === 4 && n.dst === address);
  if (mine.length === 0)
    return { ok: false, why: `the gateway's neighbour table has no entry for ${address} (has the host sent anything lately? ping it, then try again)` };
  const usable = mine.filter((n) => !unusable(n)).sort((a, b) => rank(a) - rank(b));
  if (usable.length === 0)
    return {
      ok: false,
      why: `${address} does not answer on the LAN (its neighbour entry is ${mine.map((n) => n.state.join("/") || "without a state").join(", ")})`,
    };
  const best = usable.filter((n) => rank(n) === rank(usable[0]));
  const macs = [...new Set(best.map((n) => n.lladdr!.toLowerCase()))];
  if (macs.length > 1) return { ok: false, why: `two machines answer for ${address} (${macs.join(", ")}): enter the host's MAC by hand` };
  const n = best[0];
  return { ok: true, mac: macs[0], dev: n.dev, state: n.state.join("/") };
}

/** The gateway's IPv4 neighbour table; [] when it cannot be read (the caller says "no entry"). */
export async function readNeighbours4(target: Target): Promise<Neighbour[]> {
  const r = await run(target, "ip", ["-json", ...ipArgs(4, "neigh", "show")], { allowFailure: true });
  return r.exitCode === 0 ? parseIpNeighJson(r.stdout) : [];
}
