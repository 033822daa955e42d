// The canary's port on the LAN: a network namespace of its own with one veth, whose other end
// (CANARY_LINK) is a port of the gateway's LAN bridge. It holds every slot's address, so its
// packets arrive on the LAN bridge like any host's: same iif, same hooks, same reverse-path
// check. What differs from a host: the bridge port (a veth, not the physical port: ebtables or
// bridge filters on that port do not see it), and it is on the gateway itself (no switch or
// Wi-Fi between). Where the LAN is not a bridge there is no port to add: the canary is
// unavailable and says so; hosts are then predicted only.
//
// Owned state: the namespace <gateway>-canary (or swyd-canary on the host), the link CANARY_LINK
// in the gateway. An address is added only after nothing answered for it on the LAN.
import fs from "node:fs";
import type { GatewayConfig } from "@/lib/model";
import { HOST, netns, run, type Target } from "@/lib/net/exec";
import type { CanarySlot } from "./slots";

/** The gateway's end of the canary's veth, enslaved to the LAN bridge. */
export const CANARY_LINK = "swyd-cn0";
/** The canary's end, inside its namespace. */
export const CANARY_PEER = "lan";

export const canaryNamespace = (t: Target) => (t.kind === "host" ? "swyd-canary" : `${t.name}-canary`.slice(0, 63));

export type PortState = { available: true; ns: string; slots: CanarySlot[]; refused: { slot: CanarySlot; reason: string }[] } | { available: false; reason: string };

interface LinkJson {
  ifname: string;
  master?: string;
  operstate?: string;
  linkinfo?: { info_kind?: string };
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

async function links(t: Target, dev?: string): Promise<LinkJson[]> {
  const r = await run(t, "ip", ["-json", "-d", "addr", "show", ...(dev ? ["dev", dev] : [])], { allowFailure: true });
  return r.exitCode === 0 ? (JSON.parse(r.stdout || "[]") as LinkJson[]) : [];
}

/** Does anything on the LAN answer for these addresses? One ping each (ARP resolves even when ICMP is dropped), then the neighbour table. */
async function inUse(t: Target, lan: string, addresses: string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  await Promise.all(addresses.map((a) => run(t, "ping", ["-n", "-q", "-c", "1", "-W", "1", "-I", lan, a], { allowFailure: true })));
  const r = await run(t, "ip", ["-json", "neigh", "show", "dev", lan], { allowFailure: true });
  const neigh = JSON.parse(r.stdout || "[]") as { dst: string; lladdr?: string; state?: string[] }[];
  return new Set(neigh.filter((n) => addresses.includes(n.dst) && n.lladdr && !n.state?.some((s) => s === "FAILED" || s === "INCOMPLETE")).map((n) => n.dst));
}

/** Make the canary's port and addresses what the slots say; a few processes when nothing changed. */
export async function ensureCanaryPort(target: Target, config: GatewayConfig, slots: CanarySlot[]): Promise<PortState> {
  const lan = config.settings.lanInterface;
  const [lanLink] = await links(target, lan);
  if (!lanLink) return { available: false, reason: `the LAN interface ${lan} does not exist` };
  if (lanLink.linkinfo?.info_kind !== "bridge") return { available: false, reason: `the LAN interface ${lan} is not a bridge: the canary needs a port on it (hosts are verified by route lookup and their own connections only)` };
  const ns = canaryNamespace(target);
  if (!fs.existsSync(`/run/netns/${ns}`)) await run(HOST, "ip", ["netns", "add", ns]);
  const [port] = await links(target, CANARY_LINK);
  if (!port) {
    await run(target, "ip", ["link", "add", CANARY_LINK, "type", "veth", "peer", "name", CANARY_PEER, "netns", ns]);
  }
  if (!port || port.master !== lan || port.operstate === "DOWN") {
    await run(target, "ip", ["-batch", "-"], { input: `link set ${CANARY_LINK} master ${lan}\nlink set ${CANARY_LINK} up\n` });
  }
  const inside = netns(ns);
  const [peer] = await links(inside, CANARY_PEER);
  const have = new Set((peer?.addr_info ?? []).filter((a) => a.family === "inet").map((a) => `${a.local}/${a.prefixlen}`));
  const wanted = new Map(slots.map((s) => [`${s.address}/${s.prefix}`, s]));
  const fresh = slots.filter((s) => !have.has(`${s.address}/${s.prefix}`));
  const busy = await inUse(target, lan, fresh.map((s) => s.address));
  const refused = fresh.filter((s) => busy.has(s.address)).map((slot) => ({ slot, reason: `${slot.address} answers on the LAN (another device uses it): choose another canary address for ${slot.label} in Settings` }));
  const usable = slots.filter((s) => !busy.has(s.address));
  const lines = [
    "link set lo up", `link set ${CANARY_PEER} up`,
    ...[...have].filter((a) => !wanted.has(a) || busy.has(a.split("/")[0])).map((a) => `addr del ${a} dev ${CANARY_PEER}`),
    ...usable.filter((s) => !have.has(`${s.address}/${s.prefix}`)).map((s) => `addr add ${s.address}/${s.prefix} dev ${CANARY_PEER}`),
  ];
  await run(inside, "ip", ["-batch", "-"], { input: `${lines.join("\n")}\n` });
  const gw = slots[0]?.gateway;
  if (gw) await run(inside, "ip", ["route", "replace", "default", "via", gw, "dev", CANARY_PEER]);
  return { available: true, ns, slots: usable, refused };
}

/** Remove the canary where it is (its addresses must not answer on the LAN once it is off); nothing runs when it is not there. */
export async function removeCanaryPort(target: Target): Promise<boolean> {
  const ns = canaryNamespace(target);
  if (!fs.existsSync(`/run/netns/${ns}`)) return false;
  await run(target, "ip", ["link", "del", CANARY_LINK], { allowFailure: true });
  await run(HOST, "ip", ["netns", "del", ns], { allowFailure: true });
  return true;
}
