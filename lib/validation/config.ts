// The whole configuration, with every rule that spans entities: the ones a
// kernel or an admin trips on (duplicate tables or marks, a gateway outside
// its link, a host outside the LAN). Every write validates the complete
// config that would result, so nothing inconsistent is ever saved.
import { z } from "./zod";
import type { GatewayConfig } from "@/lib/model";
import { cidrNetwork, inSubnet, isNetworkOrBroadcast, parseCidr, subnetsOverlap } from "@/lib/net/ipv4";
import { allLanSubnets, lanInterfaces, lansOf } from "@/lib/net/lans";
import { hostSchema, isDynamicIsp, ispFieldsSchema, ispSchema, natAddressSchema, policySchema, settingsSchema } from "./entities";
import { ispName } from "./fields";
import { checkIpv6 } from "./config-ipv6";

type Ctx = z.RefinementCtx;
type Path = (string | number)[];

/** "...is already used by ISP2; 3 is free": who holds the value, and (for numbers) the lowest free one. */
function duplicates<T>(
  items: T[],
  key: (t: T) => string | number,
  ctx: Ctx,
  path: (i: number) => Path,
  what: string,
  opts: { owner?: (t: T) => string; range?: [number, number] } = {},
) {
  const seen = new Map<string | number, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else {
      const by = opts.owner ? ` by ${opts.owner(items[first])}` : "";
      const free = opts.range ? lowestFree(new Set(items.map(key)), opts.range) : null;
      ctx.addIssue({ code: "custom", path: path(i), message: `${what} ${k} is already used${by}${free === null ? "" : `; ${free} is free`}` });
    }
  });
}

/** The lowest whole number in [lo, hi] not in `used`; null when all are taken. */
export function lowestFree(used: Set<string | number>, [lo, hi]: [number, number]): number | null {
  for (let n = lo; n <= hi; n++) if (!used.has(n)) return n;
  return null;
}

/** The fields of an entity that pass their own schema (cross-entity checks need only the fields they compare). */
function validFields(schema: z.ZodObject, entity: object): Set<string> {
  const e = entity as Record<string, unknown>;
  return new Set(
    Object.entries(schema.shape)
      .filter(([f, s]) => (s as z.ZodType).safeParse(e[f]).success)
      .map(([f]) => f),
  );
}

/**
 * Which entities passed their own schema. The cross-entity rules look only at
 * those (an invalid address has no subnet to compare), so one bad field does not
 * hide the other problems of a file: an import lists them all at once.
 */
interface Valid {
  isps: boolean[];
  nat: boolean[];
  hosts: boolean[];
  policies: boolean[];
  settings: boolean;
}

function validity(c: GatewayConfig): Valid {
  return {
    isps: c.isps.map((x) => ispSchema.safeParse(x).success),
    nat: c.natAddresses.map((x) => natAddressSchema.safeParse(x).success),
    hosts: c.hosts.map((x) => hostSchema.safeParse(x).success),
    policies: (c.policies ?? []).map((x) => policySchema.safeParse(x).success),
    settings: settingsSchema.safeParse(c.settings).success,
  };
}

function checkIsps(c: GatewayConfig, ctx: Ctx, ok: Valid) {
  const isps = c.isps;
  const lanIfs = new Set(ok.settings ? lanInterfaces(c) : [c.settings.lanInterface]);
  duplicates(
    isps,
    (i) => i.name.toLowerCase(),
    ctx,
    (i) => ["isps", i, "name"],
    "The name",
  );
  duplicates(
    isps,
    (i) => i.routingTable,
    ctx,
    (i) => ["isps", i, "routingTable"],
    "Routing table",
    { owner: (i) => i.name, range: [1, 252] },
  );
  duplicates(
    isps,
    (i) => i.mark,
    ctx,
    (i) => ["isps", i, "mark"],
    "Firewall mark",
    { owner: (i) => i.name, range: [1, 254] },
  );
  duplicates(
    isps,
    (i) => i.wanInterface,
    ctx,
    (i) => ["isps", i, "wanInterface"],
    "Interface",
    { owner: (i) => i.name },
  );
  isps.forEach((isp, i) => {
    if (!ok.isps[i]) {
      // the link checks need only the link's fields: a bad table or mark does not hide them (a form shows every error at once)
      const f = validFields(ispFieldsSchema, isp);
      if (
        ["gatewayAddress", "linkAddress", "linkPrefix"].every((k) => f.has(k)) &&
        isp.linkPrefix !== 32 &&
        !inSubnet(isp.gatewayAddress, isp.linkAddress, isp.linkPrefix)
      )
        ctx.addIssue({
          code: "custom",
          path: ["isps", i, "gatewayAddress"],
          message: `The gateway must be inside the link subnet ${cidrNetwork(isp.linkAddress, isp.linkPrefix)}`,
        });
      if (f.has("wanInterface") && lanIfs.has(isp.wanInterface))
        ctx.addIssue({ code: "custom", path: ["isps", i, "wanInterface"], message: "This is a LAN interface" });
      return;
    }
    const at = (f: string) => ["isps", i, f];
    if (lanIfs.has(isp.wanInterface)) ctx.addIssue({ code: "custom", path: at("wanInterface"), message: "This is a LAN interface" });
    checkRoutedBlocks(c, isp, i, ctx, ok);
    const hasDefault = c.natAddresses.some((n) => n.isp === isp.name && n.isDefault);
    // a dynamic ISP without one SNATs to its current address (lib/net/dynamic.ts)
    if (isp.natMode === "SNAT" && !hasDefault && !isDynamicIsp(isp))
      ctx.addIssue({ code: "custom", path: at("natMode"), message: "SNAT needs a default NAT address on this ISP (or choose MASQUERADE)" });
    // a dynamic ISP's link is learned at every apply: nothing to check before then
    if (isDynamicIsp(isp)) return;
    // a /32 address has no subnet: its gateway is outside it by nature (reached `onlink`)
    if (isp.linkPrefix !== 32 && !inSubnet(isp.gatewayAddress, isp.linkAddress, isp.linkPrefix))
      ctx.addIssue({
        code: "custom",
        path: at("gatewayAddress"),
        message: `The gateway must be inside the link subnet ${cidrNetwork(isp.linkAddress, isp.linkPrefix)}`,
      });
    else if (isp.gatewayAddress === isp.linkAddress)
      ctx.addIssue({ code: "custom", path: at("gatewayAddress"), message: "The ISP's gateway cannot be this router's own address" });
    else if (isNetworkOrBroadcast(isp.gatewayAddress, isp.linkPrefix))
      ctx.addIssue({ code: "custom", path: at("gatewayAddress"), message: "That is the link's network or broadcast address" });
    if (isNetworkOrBroadcast(isp.linkAddress, isp.linkPrefix))
      ctx.addIssue({ code: "custom", path: at("linkAddress"), message: "That is the link's network or broadcast address" });
    isps.forEach((other, j) => {
      if (j < i && ok.isps[j] && !isDynamicIsp(other) && subnetsOverlap(isp.linkAddress, isp.linkPrefix, other.linkAddress, other.linkPrefix))
        ctx.addIssue({ code: "custom", path: at("linkAddress"), message: `This link subnet overlaps ${other.name}'s` });
    });
    for (const lan of ok.settings ? allLanSubnets(c) : []) {
      const l = parseCidr(lan);
      if (l && subnetsOverlap(isp.linkAddress, isp.linkPrefix, l.address, l.prefix))
        ctx.addIssue({ code: "custom", path: at("linkAddress"), message: `This link subnet overlaps the LAN ${lan}` });
    }
  });
}

/** Every subnet of the config a routed block must stay clear of: LANs, static links, other blocks. */
function checkRoutedBlocks(c: GatewayConfig, isp: GatewayConfig["isps"][number], i: number, ctx: Ctx, ok: Valid) {
  const blocks = isp.routedBlocks ?? [];
  const path = ["isps", i, "routedBlocks"];
  blocks.forEach((block, k) => {
    const b = parseCidr(block)!;
    const clash = (what: string) => ctx.addIssue({ code: "custom", path, message: `${block} overlaps ${what}` });
    blocks.forEach((other, m) => {
      if (m < k && cidrsOverlapSafe(block, other)) clash(`${other} (listed twice)`);
    });
    c.isps.forEach((other, j) => {
      if (!ok.isps[j]) return;
      if (!isDynamicIsp(other) && subnetsOverlap(b.address, b.prefix, other.linkAddress, other.linkPrefix))
        clash(j === i ? "this ISP's own link subnet (a routed block lies beside it)" : `${other.name}'s link subnet`);
      if (j < i) for (const ob of other.routedBlocks ?? []) if (cidrsOverlapSafe(block, ob)) clash(`${other.name}'s routed block ${ob}`);
    });
    for (const lan of ok.settings ? allLanSubnets(c) : []) if (cidrsOverlapSafe(block, lan)) clash(`the LAN ${lan}`);
  });
}

function cidrsOverlapSafe(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return !!x && !!y && subnetsOverlap(x.address, x.prefix, y.address, y.prefix);
}

/** The routed block of an ISP that holds the address, if any. */
function routedBlockOf(isp: GatewayConfig["isps"][number], address: string): string | undefined {
  return (isp.routedBlocks ?? []).find((b) => {
    const c = parseCidr(b);
    return c && inSubnet(address, c.address, c.prefix);
  });
}

function checkNat(c: GatewayConfig, ctx: Ctx, ok: Valid) {
  duplicates(
    c.natAddresses,
    (n) => n.address,
    ctx,
    (i) => ["natAddresses", i, "address"],
    "Address",
  );
  const pinned = c.natAddresses.filter((n) => n.host);
  duplicates(
    pinned,
    (n) => n.host!,
    ctx,
    (i) => ["natAddresses", c.natAddresses.indexOf(pinned[i]), "host"],
    "Host",
  );
  const defaults = c.natAddresses.filter((n) => n.isDefault);
  duplicates(
    defaults,
    (n) => n.isp,
    ctx,
    (i) => ["natAddresses", c.natAddresses.indexOf(defaults[i]), "isDefault"],
    "A default address for ISP",
  );
  c.natAddresses.forEach((n, i) => {
    if (!ok.nat[i]) return;
    const at = c.isps.findIndex((x) => x.name === n.isp);
    if (at >= 0 && !ok.isps[at]) return;
    const isp = c.isps[at];
    if (!isp) {
      ctx.addIssue({ code: "custom", path: ["natAddresses", i, "isp"], message: `There is no ISP named ${n.isp}` });
      return;
    }
    const blocks = (isp.routedBlocks ?? []).join(", ");
    // A routed block is the ISP's route to this gateway, not a link: every address of it is usable
    const inBlock = routedBlockOf(isp, n.address) !== undefined;
    const where = ["natAddresses", i, "address"];
    if (!inBlock && isDynamicIsp(isp))
      ctx.addIssue({
        code: "custom",
        path: where,
        message: `${isp.name}'s address is learned (${isp.addressMode}): a NAT address of it must be inside one of its routed blocks${blocks ? ` (${blocks})` : " (it has none)"}`,
      });
    else if (!inBlock && !inSubnet(n.address, isp.linkAddress, isp.linkPrefix))
      ctx.addIssue({
        code: "custom",
        path: where,
        message: `A NAT address of ${isp.name} must be inside its link subnet ${cidrNetwork(isp.linkAddress, isp.linkPrefix)}${blocks ? ` or one of its routed blocks (${blocks})` : " or a routed block of it"}`,
      });
    else if (!inBlock && (n.address === isp.gatewayAddress || isNetworkOrBroadcast(n.address, isp.linkPrefix)))
      ctx.addIssue({ code: "custom", path: where, message: "That is the ISP's gateway, or the link's network or broadcast address" });
    if (n.isDefault && n.host)
      ctx.addIssue({ code: "custom", path: ["natAddresses", i, "host"], message: "A default address is shared by all hosts and cannot be pinned to one" });
    // MASQUERADE takes the link's current address for every flow: an address pinned to a host would never be used
    if (n.host && isp.natMode === "MASQUERADE")
      ctx.addIssue({
        code: "custom",
        path: ["natAddresses", i, "host"],
        message: `${isp.name} uses MASQUERADE, which always takes the link's own address: an address pinned to a host needs SNAT (change ${isp.name} to SNAT, or leave the host empty)`,
      });
    if (n.host && !c.hosts.some((h) => h.address === n.host))
      ctx.addIssue({ code: "custom", path: ["natAddresses", i, "host"], message: `There is no host with address ${n.host}` });
  });
}

function checkHosts(c: GatewayConfig, ctx: Ctx, ok: Valid) {
  duplicates(
    c.hosts,
    (h) => h.name.toLowerCase(),
    ctx,
    (i) => ["hosts", i, "name"],
    "The name",
  );
  duplicates(
    c.hosts,
    (h) => h.address,
    ctx,
    (i) => ["hosts", i, "address"],
    "Address",
    { owner: (h) => `host ${h.name}` },
  );
  duplicates(
    c.hosts.filter((h) => h.mac),
    (h) => h.mac!,
    ctx,
    (i) => ["hosts", c.hosts.indexOf(c.hosts.filter((h) => h.mac)[i]), "mac"],
    "MAC address",
  );
  const subnets = ok.settings ? allLanSubnets(c) : [];
  const lans = subnets.map(parseCidr).filter((x) => x !== null);
  c.hosts.forEach((h, i) => {
    if (!ok.hosts[i] || !ok.settings) return;
    const lan = lans.find((l) => inSubnet(h.address, l.address, l.prefix));
    if (!lan) ctx.addIssue({ code: "custom", path: ["hosts", i, "address"], message: `The address must be inside a LAN subnet (${subnets.join(", ")})` });
    else if (h.address === lan.address) ctx.addIssue({ code: "custom", path: ["hosts", i, "address"], message: "That is the gateway's own LAN address" });
    else if (isNetworkOrBroadcast(h.address, lan.prefix))
      ctx.addIssue({ code: "custom", path: ["hosts", i, "address"], message: "That is the subnet's network or broadcast address" });
    if (h.isp && !c.isps.some((x) => x.name === h.isp)) ctx.addIssue({ code: "custom", path: ["hosts", i, "isp"], message: `There is no ISP named ${h.isp}` });
    if (h.policy && !(c.policies ?? []).some((p) => p.name === h.policy))
      ctx.addIssue({ code: "custom", path: ["hosts", i, "policy"], message: `There is no policy named ${h.policy}` });
    if (h.policy && h.isp) ctx.addIssue({ code: "custom", path: ["hosts", i, "policy"], message: "Choose one ISP or one policy, not both" });
  });
}

function checkSettings(c: GatewayConfig, ctx: Ctx, ok: Valid) {
  if (!ok.settings) return;
  const s = c.settings;
  if (s.defaultIsp && !c.isps.some((x) => x.name === s.defaultIsp))
    ctx.addIssue({ code: "custom", path: ["settings", "defaultIsp"], message: `There is no ISP named ${s.defaultIsp}` });
  if (s.defaultPolicy && !(c.policies ?? []).some((p) => p.name === s.defaultPolicy))
    ctx.addIssue({ code: "custom", path: ["settings", "defaultPolicy"], message: `There is no policy named ${s.defaultPolicy}` });
  if (s.defaultPolicy && s.defaultIsp)
    ctx.addIssue({ code: "custom", path: ["settings", "defaultPolicy"], message: "Everyone else uses one ISP or one policy, not both" });
  checkCanary(c, ctx);
  checkLans(c, ctx);
}

/** The LANs together: names and interfaces once each, no subnet overlapping another (of any LAN), defaults that exist. */
function checkLans(c: GatewayConfig, ctx: Ctx) {
  const all = lansOf(c);
  const pathOf = (n: number, field: string) =>
    n === 0 ? ["settings", field === "subnets" ? "lanSubnets" : field === "interface" ? "lanInterface" : field] : ["settings", "lans", n - 1, field];
  const subnets = all.flatMap((lan, n) => lan.subnets.map((text) => ({ text, c: parseCidr(text), n, lan })));
  subnets.forEach((a, i) => {
    subnets.forEach((b, j) => {
      if (a.c && b.c && j < i && subnetsOverlap(a.c.address, a.c.prefix, b.c.address, b.c.prefix))
        ctx.addIssue({ code: "custom", path: pathOf(a.n, "subnets"), message: `${a.text} overlaps ${b.text}${b.n !== a.n ? ` (LAN ${b.lan.name})` : ""}` });
    });
  });
  all.forEach((lan, n) => {
    if (n === 0) return;
    const before = all.slice(0, n);
    if (before.some((o) => o.name === lan.name)) ctx.addIssue({ code: "custom", path: pathOf(n, "name"), message: `There is already a LAN named ${lan.name}` });
    const same = before.find((o) => o.interface === lan.interface);
    if (same) ctx.addIssue({ code: "custom", path: pathOf(n, "interface"), message: `${lan.interface} is already the interface of LAN ${same.name}` });
    if (lan.defaultIsp && !c.isps.some((x) => x.name === lan.defaultIsp))
      ctx.addIssue({ code: "custom", path: pathOf(n, "defaultIsp"), message: `There is no ISP named ${lan.defaultIsp}` });
    if (lan.defaultPolicy && !(c.policies ?? []).some((p) => p.name === lan.defaultPolicy))
      ctx.addIssue({ code: "custom", path: pathOf(n, "defaultPolicy"), message: `There is no policy named ${lan.defaultPolicy}` });
    if (lan.defaultPolicy && lan.defaultIsp)
      ctx.addIssue({ code: "custom", path: pathOf(n, "defaultPolicy"), message: "A LAN's unlisted hosts use one ISP or one policy, not both" });
  });
}

/** The canary's reserved addresses: known targets, inside the first subnet of their LAN, free of the gateway and the hosts, each once. */
function checkCanary(c: GatewayConfig, ctx: Ctx) {
  const set = c.settings.canary?.addresses ?? {};
  const at = ["settings", "canary"];
  const others = new Map((c.settings.lans ?? []).map((l) => [`lan:${l.name}`, l.subnets[0]]));
  const targets = new Set(["default", ...c.isps.map((i) => i.name), ...(c.policies ?? []).map((p) => `policy:${p.name}`), ...others.keys()]);
  const seen = new Map<string, string>();
  for (const [key, address] of Object.entries(set)) {
    const bad = (message: string) => ctx.addIssue({ code: "custom", path: at, message: `Canary address for ${key}: ${message}` });
    // a key of a target that is gone (renamed, deleted) is ignored: its slot is chosen anew
    if (!targets.has(key)) continue;
    const subnet = others.get(key) ?? c.settings.lanSubnets[0];
    const lan = parseCidr(subnet ?? "");
    if (!lan || !inSubnet(address, lan.address, lan.prefix)) bad(`${address} is not inside the first subnet of its LAN (${subnet})`);
    else if (address === lan.address || isNetworkOrBroadcast(address, lan.prefix)) bad(`${address} is the gateway's own, the network or the broadcast address`);
    else if (c.hosts.some((h) => h.address === address)) bad(`${address} is host ${c.hosts.find((h) => h.address === address)!.name}'s address`);
    else if (seen.has(address)) bad(`${address} is already the canary's address for ${seen.get(address)}`);
    seen.set(address, key);
  }
}

function checkPolicies(c: GatewayConfig, ctx: Ctx, ok: Valid) {
  const policies = c.policies ?? [];
  duplicates(
    policies,
    (p) => p.name.toLowerCase(),
    ctx,
    (i) => ["policies", i, "name"],
    "The name",
  );
  policies.forEach((p, i) => {
    if (!ok.policies[i]) return;
    const at = (...f: (string | number)[]) => ["policies", i, ...f];
    if (c.isps.some((isp) => isp.name.toLowerCase() === p.name.toLowerCase()))
      ctx.addIssue({ code: "custom", path: at("name"), message: `${p.name} is an ISP's name: give the policy its own, like "${p.name}-first"` });
    duplicates(
      p.members,
      (m) => m.isp,
      ctx,
      (j) => at("members", j, "isp"),
      "ISP",
    );
    p.members.forEach((m, j) => {
      if (!c.isps.some((x) => x.name === m.isp)) ctx.addIssue({ code: "custom", path: at("members", j, "isp"), message: `There is no ISP named ${m.isp}` });
    });
    if (p.lastResort) {
      if (!c.isps.some((x) => x.name === p.lastResort))
        ctx.addIssue({ code: "custom", path: at("lastResort"), message: `There is no ISP named ${p.lastResort}` });
      else if (p.members.some((m) => m.isp === p.lastResort))
        ctx.addIssue({
          code: "custom",
          path: at("lastResort"),
          message: `${p.lastResort} is already in this policy: the last resort is another ISP, or unreachable`,
        });
    }
  });
}

export const gatewayConfigSchema = z
  .object({
    settings: settingsSchema,
    isps: z.array(ispSchema).max(64, "At most 64 ISPs"),
    natAddresses: z.array(natAddressSchema).max(4096),
    hosts: z.array(hostSchema).max(10000, "At most 10000 hosts"),
    policies: z.array(policySchema).max(32, "At most 32 policies").optional(),
    health: z
      .object({ down: z.array(ispName).max(64), capped: z.array(ispName).max(64).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const ok = validity(c);
    checkSettings(c, ctx, ok);
    checkIsps(c, ctx, ok);
    checkNat(c, ctx, ok);
    checkHosts(c, ctx, ok);
    checkPolicies(c, ctx, ok);
    checkIpv6(c, ctx);
  });

export type ConfigIssue = { path: Path; message: string };

export function validateConfig(input: unknown): { ok: true; config: GatewayConfig } | { ok: false; issues: ConfigIssue[] } {
  const r = gatewayConfigSchema.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path as Path, message: i.message })) };
}
