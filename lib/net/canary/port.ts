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
import { parseIpAddrJson, type IfaceAddresses } from "@/lib/net/parse/ip-addr";
import { parseIpNeighJson } from "@/lib/net/parse/ip-neigh";
import { parseIpRuleJson } from "@/lib/net/parse/ip-rule";
import type { CanarySlot } from "./slots";
import { MAIN_LAN, lansOf } from "@/lib/net/lans";

/** The gateway's end of the canary's veth, enslaved to the LAN bridge. */
export const CANARY_LINK = "swyd-cn0"; // the main LAN's (canaryLink(0))
/** The canary's end, inside its namespace. */
export const CANARY_PEER = "lan";

export const canaryNamespace = (t: Target) => (t.kind === "host" ? "swyd-canary" : `${t.name}-canary`.slice(0, 63));

export type PortState =
  | { available: true; ns: string; slots: CanarySlot[]; refused: { slot: CanarySlot; reason: string }[] }
  | { available: false; reason: string };

async function links(t: Target, dev?: string): Promise<IfaceAddresses[]> {
  const r = await run(t, "ip", ["-json", "-d", "addr", "show", ...(dev ? ["dev", dev] : [])], { allowFailure: true });
  return r.exitCode === 0 ? parseIpAddrJson(r.stdout) : [];
}

/** Does anything on the LAN answer for these addresses? One ping each (ARP resolves even when ICMP is dropped), then the neighbour table. */
async function inUse(t: Target, lan: string, addresses: string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  // an entry left from an earlier canary port (turned off and on, made anew) still holds its old
  // MAC for a while: forgotten first, so only a device that answers now counts
  await run(t, "ip", ["-batch", "-"], { input: `${addresses.map((a) => `neigh flush dev ${lan} to ${a}`).join("\n")}\n`, allowFailure: true });
  await Promise.all(addresses.map((a) => run(t, "ping", ["-n", "-q", "-c", "1", "-W", "1", "-I", lan, a], { allowFailure: true })));
  const r = await run(t, "ip", ["-json", "neigh", "show", "dev", lan], { allowFailure: true });
  const neigh = parseIpNeighJson(r.stdout);
  return new Set(neigh.filter((n) => addresses.includes(n.dst) && n.lladdr && !n.state.some((s) => s === "FAILED" || s === "INCOMPLETE")).map((n) => n.dst));
}

/** The gateway's end of the canary's veth on the n-th LAN (swyd-cn0 on the main LAN, swyd-cn1 on the next). */
export const canaryLink = (n: number) => `swyd-cn${n}`;
/** The canary's end on the n-th LAN, inside its namespace ("lan", "lan1", ...). */
export const canaryPeer = (n: number) => (n === 0 ? CANARY_PEER : `${CANARY_PEER}${n}`);
/** The canary namespace's routing table for the n-th LAN's slots (the main LAN's use main). */
const peerTable = (n: number) => String(100 + n);

/**
 * Make the canary's ports and addresses what the slots say: one veth per LAN that has slots,
 * each a port of that LAN's bridge; a few processes when nothing changed. A LAN that is not a
 * bridge has no port: its slots are refused with the reason (the main LAN's: no canary at all).
 */
export async function ensureCanaryPort(target: Target, config: GatewayConfig, slots: CanarySlot[]): Promise<PortState> {
  const lans = lansOf(config);
  const ns = canaryNamespace(target);
  const usable: CanarySlot[] = [];
  const refused: { slot: CanarySlot; reason: string }[] = [];
  let created = false;
  for (const [n, lan] of lans.entries()) {
    const mine = slots.filter((s) => (s.lan ?? MAIN_LAN) === lan.name);
    if (mine.length === 0) continue;
    const [lanLink] = await links(target, lan.interface);
    const why = !lanLink
      ? `the LAN interface ${lan.interface} does not exist`
      : lanLink.kind !== "bridge"
        ? `the LAN interface ${lan.interface} is not a bridge: the canary needs a port on it (hosts are verified by route lookup and their own connections only)`
        : null;
    if (why) {
      if (n === 0) return { available: false, reason: why };
      refused.push(...mine.map((slot) => ({ slot, reason: why })));
      continue;
    }
    if (!created) await ensureNamespace(target, ns);
    created = true;
    const link = canaryLink(n);
    const peerName = canaryPeer(n);
    const [port] = await links(target, link);
    if (!port) await run(target, "ip", ["link", "add", link, "type", "veth", "peer", "name", peerName, "netns", ns]);
    if (!port || port.master !== lan.interface || port.operstate === "DOWN") {
      await run(target, "ip", ["-batch", "-"], { input: `link set ${link} master ${lan.interface}\nlink set ${link} up\n` });
    }
    const inside = netns(ns);
    const [peer] = await links(inside, peerName);
    const have = new Set((peer?.addresses ?? []).filter((a) => a.family === 4).map((a) => `${a.local}/${a.prefix}`));
    const wanted = new Map(mine.map((s) => [`${s.address}/${s.prefix}`, s]));
    const fresh = mine.filter((s) => !have.has(`${s.address}/${s.prefix}`));
    const busy = await inUse(
      target,
      lan.interface,
      fresh.map((s) => s.address),
    );
    refused.push(
      ...fresh
        .filter((s) => busy.has(s.address))
        .map((slot) => ({
          slot,
          reason: `${slot.address} answers on the LAN (another device uses it): choose another canary address for ${slot.label} in Settings`,
        })),
    );
    const ok = mine.filter((s) => !busy.has(s.address));
    usable.push(...ok);
    const lines = [
      "link set lo up",
      `link set ${peerName} up`,
      ...[...have].filter((a) => !wanted.has(a) || busy.has(a.split("/")[0])).map((a) => `addr del ${a} dev ${peerName}`),
      ...ok.filter((s) => !have.has(`${s.address}/${s.prefix}`)).map((s) => `addr add ${s.address}/${s.prefix} dev ${peerName}`),
    ];
    await run(inside, "ip", ["-batch", "-"], { input: `${lines.join("\n")}\n` });
    const gw = mine[0].gateway;
    // onlink: the gateway is on this link by construction; a port whose carrier is still coming up
    // (a namespace made anew) would otherwise answer "Nexthop has invalid gateway"
    if (n === 0) await run(inside, "ip", ["route", "replace", "default", "via", gw, "dev", peerName, "onlink"]);
    else {
      // another LAN's slots leave by their own port: their source address picks its table
      await run(inside, "ip", ["route", "replace", "default", "via", gw, "dev", peerName, "table", peerTable(n), "onlink"]);
      const rules = await run(inside, "ip", ["-json", "rule", "show", "table", peerTable(n)], { allowFailure: true });
      // the parser prints a host source as a /32
      const present = new Set(parseIpRuleJson(rules.stdout).map((r) => r.src));
      for (const s of ok)
        if (!present.has(`${s.address}/32`)) await run(inside, "ip", ["rule", "add", "from", s.address, "table", peerTable(n), "priority", String(1000 + n)]);
    }
  }
  if (!created) return { available: false, reason: refused[0]?.reason ?? "no canary slot" };
  return { available: true, ns, slots: usable, refused };
}

/**
 * The canary's namespace, usable from this process. A service unit with its own mount namespace
 * (ProtectSystem=, PrivateMounts=) leaves /run/netns/<ns> behind as an empty file for everyone
 * else: the mount that made it a namespace stays inside that unit. Such a file is no namespace
 * here: it is removed with the veths whose far ends are out of reach, and made anew.
 */
async function ensureNamespace(target: Target, ns: string): Promise<void> {
  const file = `/run/netns/${ns}`;
  if (fs.existsSync(file) && mountedHere(file)) return;
  if (fs.existsSync(file)) {
    await run(HOST, "ip", ["netns", "del", ns], { allowFailure: true });
    if (fs.existsSync(file)) fs.rmSync(file, { force: true });
    for (const l of (await links(target)).filter((l) => /^swyd-cn\d+$/.test(l.name))) await run(target, "ip", ["link", "del", l.name], { allowFailure: true });
  }
  await run(HOST, "ip", ["netns", "add", ns]);
}

/** Is this path a mount point in this process's mount namespace (a network namespace bound there)? */
function mountedHere(file: string): boolean {
  try {
    return fs
      .readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .some((l) => l.split(" ")[4] === file);
  } catch {
    return true; // no /proc: trust the file, as before
  }
}

/** Remove the canary where it is (its addresses must not answer on the LAN once it is off); nothing runs when it is not there. */
export async function removeCanaryPort(target: Target): Promise<boolean> {
  const ns = canaryNamespace(target);
  if (!fs.existsSync(`/run/netns/${ns}`)) return false;
  // its veths go with the namespace; the gateway's ends too, but at once rather than when the kernel gets to it
  const own = (await links(target)).filter((l) => /^swyd-cn\d+$/.test(l.name));
  for (const l of own) await run(target, "ip", ["link", "del", l.name], { allowFailure: true });
  await run(HOST, "ip", ["netns", "del", ns], { allowFailure: true });
  return true;
}
