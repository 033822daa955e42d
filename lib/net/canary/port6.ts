// The canary's IPv6 ports (docs/canary.md "IPv6"): inside the canary's namespace, one macvlan
// per slot with IPv6 work, on that slot's LAN veth, with the slot's own MAC (the host map knows
// IPv6 hosts by MAC only) and its address in each LAN /64 (nodad: usable at once). Its packets
// leave by the same veth, so they arrive on the LAN bridge as the IPv4 canary's do. Inside the
// namespace a slot's source address picks its table (a rule per address), whose default goes
// out of that slot's macvlan: each packet leaves with the MAC of the slot it claims to be.
// Idempotent: a few processes when nothing changed (two reads, one batch).
import type { GatewayConfig } from "@/lib/model";
import { run, type Target } from "@/lib/net/exec";
import { MAIN_LAN, lansOf } from "@/lib/net/lans";
import { parseIpAddrJson } from "@/lib/net/parse/ip-addr";
import { parseIpRuleJson } from "@/lib/net/parse/ip-rule";
import { canaryPeer } from "./port";
import type { CanarySlot } from "./slots";
import { slotDevice } from "./slots6";

/** The namespace's IPv6 rules for the slots' addresses (IPv4's are at 1000 + n: a separate list anyway). */
const RULE_PRIORITY = 2000;
/** The n-th IPv6 slot's table inside the namespace. */
const slotTable = (n: number) => 2000 + n;
const OWN_DEVICE = /^sy6-[0-9a-f]{6}$/;

/** The lines of one `ip -6 -batch` that make the namespace's macvlans, addresses, tables and rules what the slots say. Pure. */
export function port6Lines(
  config: GatewayConfig,
  slots: CanarySlot[],
  have: {
    links: { name: string; mac?: string; addresses: { family: number; local: string; prefix: number; scope: string }[] }[];
    rules: { src?: string; table: number; priority: number }[];
  },
): string[] {
  const lanIndex = new Map(lansOf(config).map((l, n) => [l.name, n]));
  const lines: string[] = [];
  const wantedRules = new Set<string>();
  const six = slots.filter((s) => s.mac && s.addresses6?.length);
  const devices = new Set(six.map((s) => slotDevice(s.mac!)));
  // macvlans left from slots that are gone (a policy removed, IPv6 turned off on a LAN)
  for (const l of have.links) if (OWN_DEVICE.test(l.name) && !devices.has(l.name)) lines.push(`link del dev ${l.name}`);
  six.forEach((s, n) => {
    const dev = slotDevice(s.mac!);
    const peer = canaryPeer(lanIndex.get(s.lan ?? MAIN_LAN) ?? 0);
    const link = have.links.find((l) => l.name === dev);
    const fresh = !link || link.mac?.toLowerCase() !== s.mac;
    if (link && fresh) lines.push(`link del dev ${dev}`);
    // bridge mode (private works too, tried on the dual-stack kernel test): frames to the gateway leave by the lower veth either way
    if (fresh) lines.push(`link add link ${peer} name ${dev} address ${s.mac} type macvlan mode bridge`);
    lines.push(`link set ${dev} up`);
    const held = new Set(fresh ? [] : link!.addresses.filter((a) => a.family === 6 && a.scope === "global").map((a) => `${a.local}/${a.prefix}`));
    const wanted = new Set(s.addresses6!.map((a) => `${a.address}/64`));
    for (const a of held) if (!wanted.has(a)) lines.push(`addr del ${a} dev ${dev}`);
    for (const a of wanted) if (!held.has(a)) lines.push(`addr add ${a} dev ${dev} nodad`);
    // onlink: the gateway is on this link by construction (no wait for the /64's route)
    lines.push(`route replace default via ${s.addresses6![0].gateway} dev ${dev} table ${slotTable(n)} onlink`);
    for (const a of s.addresses6!) wantedRules.add(`${a.address}/128 ${slotTable(n)}`);
  });
  const present = new Set(have.rules.filter((r) => r.priority === RULE_PRIORITY && r.src).map((r) => `${r.src} ${r.table}`));
  for (const r of present) if (!wantedRules.has(r)) lines.push(`rule del from ${r.split(" ")[0]} table ${r.split(" ")[1]} priority ${RULE_PRIORITY}`);
  for (const r of wantedRules) if (!present.has(r)) lines.push(`rule add from ${r.split(" ")[0]} table ${r.split(" ")[1]} priority ${RULE_PRIORITY}`);
  return lines;
}

/** Make the namespace's IPv6 ports what the slots say (the IPv4 port, ensureCanaryPort, made the namespace and its veths). */
export async function ensureCanaryPort6(inside: Target, config: GatewayConfig, slots: CanarySlot[]): Promise<void> {
  const [addr, rules] = await Promise.all([
    run(inside, "ip", ["-json", "-d", "addr", "show"], { allowFailure: true }),
    run(inside, "ip", ["-6", "-json", "rule", "show"], { allowFailure: true }),
  ]);
  const lines = port6Lines(config, slots, { links: parseIpAddrJson(addr.stdout), rules: parseIpRuleJson(rules.stdout, undefined, 6) });
  if (lines.length) await run(inside, "ip", ["-6", "-batch", "-"], { input: `${lines.join("\n")}\n` });
}
