// A host's MAC taken from the gateway's neighbour table (docs/ipv6.md "A host's MAC"): read now,
// for the host's IPv4 address, and stored as if typed into the host form (the same validated,
// audited, staged change). Used by the host form's and the board's "Use it" and by
// `switchyard host set NAME --mac learned`.
import type { Target } from "@/lib/net/exec";
import { macSeen, readNeighbours4, type MacSeen } from "@/lib/net/neigh-mac";
import { hostSchema } from "@/lib/validation";
import { loadConfigWithIds } from "./config";
import { updateHost } from "./hosts";
import type { Actor } from "./audit";

export type StoredMac = { ok: true; host: string; mac: string; seen: MacSeen & { ok: true } } | { ok: false; error: string };

/** The MAC the neighbour table shows for each listed address (one read of the table). */
export async function macsSeen(target: Target, addresses: readonly string[]): Promise<Map<string, MacSeen>> {
  const neighbours = await readNeighbours4(target);
  return new Map(addresses.map((a) => [a, macSeen(neighbours, a)]));
}

/** Store the MAC seen now for the host (by row id, or by name); a clear error when none is usable. */
export async function storeSeenMac(target: Target, which: { id: number } | { name: string }, actor: Actor): Promise<StoredMac> {
  const { config, ids } = await loadConfigWithIds();
  const index = "id" in which ? ids.hosts.indexOf(which.id) : config.hosts.findIndex((h) => h.name === which.name);
  if (index < 0) return { ok: false, error: "id" in which ? "That host no longer exists." : `there is no host named ${JSON.stringify(which.name)}` };
  const host = config.hosts[index];
  const seen = macSeen(await readNeighbours4(target), host.address);
  if (!seen.ok) return { ok: false, error: `${host.name}: ${seen.why}` };
  const input = hostSchema.safeParse({ ...host, mac: seen.mac });
  if (!input.success) return { ok: false, error: `${host.name}: the MAC seen, ${seen.mac}, is not a host's MAC (${input.error.issues[0]?.message})` };
  const r = await updateHost(ids.hosts[index], input.data, actor);
  if (!r.ok) return { ok: false, error: `${host.name}: ${Object.values(r.errors).flat().join("; ")}` };
  return { ok: true, host: host.name, mac: seen.mac, seen };
}
