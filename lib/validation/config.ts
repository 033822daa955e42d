// The whole configuration, with every rule that spans entities: the ones a
// kernel or an admin trips on (duplicate tables or marks, a gateway outside
// its link, a host outside the LAN). Every write validates the complete
// config that would result, so nothing inconsistent is ever saved.
import { z } from "zod";
import type { GatewayConfig } from "@/lib/model";
import { cidrNetwork, inSubnet, isNetworkOrBroadcast, parseCidr, subnetsOverlap } from "@/lib/net/ipv4";
import { hostSchema, ispSchema, natAddressSchema, settingsSchema } from "./entities";

type Ctx = z.RefinementCtx;
type Path = (string | number)[];

/** "...is already used by ISP2; 3 is free": who holds the value, and (for numbers) the lowest free one. */
function duplicates<T>(items: T[], key: (t: T) => string | number, ctx: Ctx, path: (i: number) => Path, what: string, opts: { owner?: (t: T) => string; range?: [number, number] } = {}) {
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
  return new Set(Object.entries(schema.shape).filter(([f, s]) => (s as z.ZodType).safeParse(e[f]).success).map(([f]) => f));
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
  settings: boolean;
}

function validity(c: GatewayConfig): Valid {
  return {
    isps: c.isps.map((x) => ispSchema.safeParse(x).success),
    nat: c.natAddresses.map((x) => natAddressSchema.safeParse(x).success),
    hosts: c.hosts.map((x) => hostSchema.safeParse(x).success),
    settings: settingsSchema.safeParse(c.settings).success,
  };
}

function checkIsps(c: GatewayConfig, ctx: Ctx, ok: Valid) {
  const isps = c.isps;
  duplicates(isps, (i) => i.name.toLowerCase(), ctx, (i) => ["isps", i, "name"], "The name");
  duplicates(isps, (i) => i.routingTable, ctx, (i) => ["isps", i, "routingTable"], "Routing table", { owner: (i) => i.name, range: [1, 252] });
  duplicates(isps, (i) => i.mark, ctx, (i) => ["isps", i, "mark"], "Firewall mark", { owner: (i) => i.name, range: [1, 255] });
  duplicates(isps, (i) => i.wanInterface, ctx, (i) => ["isps", i, "wanInterface"], "Interface", { owner: (i) => i.name });
  isps.forEach((isp, i) => {
    if (!ok.isps[i]) {
      // the link checks need only the link's fields: a bad table or mark does not hide them (a form shows every error at once)
      const f = validFields(ispSchema, isp);
      if (["gatewayAddress", "linkAddress", "linkPrefix"].every((k) => f.has(k)) && isp.linkPrefix !== 32 && !inSubnet(isp.gatewayAddress, isp.linkAddress, isp.linkPrefix))
        ctx.addIssue({ code: "custom", path: ["isps", i, "gatewayAddress"], message: `The gateway must be inside the link subnet ${cidrNetwork(isp.linkAddress, isp.linkPrefix)}` });
      if (f.has("wanInterface") && isp.wanInterface === c.settings.lanInterface)
        ctx.addIssue({ code: "custom", path: ["isps", i, "wanInterface"], message: "This is the LAN interface" });
      return;
    }
    const at = (f: string) => ["isps", i, f];
    if (isp.wanInterface === c.settings.lanInterface)
      ctx.addIssue({ code: "custom", path: at("wanInterface"), message: "This is the LAN interface" });
    // a /32 address has no subnet: its gateway is outside it by nature (reached `onlink`)
    if (isp.linkPrefix !== 32 && !inSubnet(isp.gatewayAddress, isp.linkAddress, isp.linkPrefix))
      ctx.addIssue({ code: "custom", path: at("gatewayAddress"), message: `The gateway must be inside the link subnet ${cidrNetwork(isp.linkAddress, isp.linkPrefix)}` });
    else if (isp.gatewayAddress === isp.linkAddress)
      ctx.addIssue({ code: "custom", path: at("gatewayAddress"), message: "The ISP's gateway cannot be this router's own address" });
    else if (isNetworkOrBroadcast(isp.gatewayAddress, isp.linkPrefix))
      ctx.addIssue({ code: "custom", path: at("gatewayAddress"), message: "That is the link's network or broadcast address" });
    if (isNetworkOrBroadcast(isp.linkAddress, isp.linkPrefix))
      ctx.addIssue({ code: "custom", path: at("linkAddress"), message: "That is the link's network or broadcast address" });
    isps.forEach((other, j) => {
      if (j < i && ok.isps[j] && subnetsOverlap(isp.linkAddress, isp.linkPrefix, other.linkAddress, other.linkPrefix))
        ctx.addIssue({ code: "custom", path: at("linkAddress"), message: `This link subnet overlaps ${other.name}'s` });
    });
    for (const lan of ok.settings ? c.settings.lanSubnets : []) {
      const l = parseCidr(lan);
      if (l && subnetsOverlap(isp.linkAddress, isp.linkPrefix, l.address, l.prefix))
        ctx.addIssue({ code: "custom", path: at("linkAddress"), message: `This link subnet overlaps the LAN ${lan}` });
    }
    const hasDefault = c.natAddresses.some((n) => n.isp === isp.name && n.isDefault);
    if (isp.natMode === "SNAT" && !hasDefault)
      ctx.addIssue({ code: "custom", path: at("natMode"), message: "SNAT needs a default NAT address on this ISP (or choose MASQUERADE)" });
  });
}

function checkNat(c: GatewayConfig, ctx: Ctx, ok: Valid) {
  duplicates(c.natAddresses, (n) => n.address, ctx, (i) => ["natAddresses", i, "address"], "Address");
  const pinned = c.natAddresses.filter((n) => n.host);
  duplicates(pinned, (n) => n.host!, ctx, (i) => ["natAddresses", c.natAddresses.indexOf(pinned[i]), "host"], "Host");
  const defaults = c.natAddresses.filter((n) => n.isDefault);
  duplicates(defaults, (n) => n.isp, ctx, (i) => ["natAddresses", c.natAddresses.indexOf(defaults[i]), "isDefault"], "A default address for ISP");
  c.natAddresses.forEach((n, i) => {
    if (!ok.nat[i]) return;
    const at = c.isps.findIndex((x) => x.name === n.isp);
    if (at >= 0 && !ok.isps[at]) return;
    const isp = c.isps[at];
    if (!isp) {
      ctx.addIssue({ code: "custom", path: ["natAddresses", i, "isp"], message: `There is no ISP named ${n.isp}` });
      return;
    }
    if (!inSubnet(n.address, isp.linkAddress, isp.linkPrefix))
      ctx.addIssue({ code: "custom", path: ["natAddresses", i, "address"], message: `A NAT address of ${isp.name} must be inside its link subnet ${cidrNetwork(isp.linkAddress, isp.linkPrefix)}` });
    else if (n.address === isp.gatewayAddress || isNetworkOrBroadcast(n.address, isp.linkPrefix))
      ctx.addIssue({ code: "custom", path: ["natAddresses", i, "address"], message: "That is the ISP's gateway, or the link's network or broadcast address" });
    if (n.isDefault && n.host)
      ctx.addIssue({ code: "custom", path: ["natAddresses", i, "host"], message: "A default address is shared by all hosts and cannot be pinned to one" });
    // MASQUERADE takes the link's current address for every flow: an address pinned to a host would never be used
    if (n.host && isp.natMode === "MASQUERADE")
      ctx.addIssue({ code: "custom", path: ["natAddresses", i, "host"], message: `${isp.name} uses MASQUERADE, which always takes the link's own address: an address pinned to a host needs SNAT (change ${isp.name} to SNAT, or leave the host empty)` });
    if (n.host && !c.hosts.some((h) => h.address === n.host))
      ctx.addIssue({ code: "custom", path: ["natAddresses", i, "host"], message: `There is no host with address ${n.host}` });
  });
}

function checkHosts(c: GatewayConfig, ctx: Ctx, ok: Valid) {
  duplicates(c.hosts, (h) => h.name.toLowerCase(), ctx, (i) => ["hosts", i, "name"], "The name");
  duplicates(c.hosts, (h) => h.address, ctx, (i) => ["hosts", i, "address"], "Address", { owner: (h) => `host ${h.name}` });
  duplicates(c.hosts.filter((h) => h.mac), (h) => h.mac!, ctx, (i) => ["hosts", c.hosts.indexOf(c.hosts.filter((h) => h.mac)[i]), "mac"], "MAC address");
  const lans = c.settings.lanSubnets.map(parseCidr).filter((x) => x !== null);
  c.hosts.forEach((h, i) => {
    if (!ok.hosts[i] || !ok.settings) return;
    const lan = lans.find((l) => inSubnet(h.address, l.address, l.prefix));
    if (!lan)
      ctx.addIssue({ code: "custom", path: ["hosts", i, "address"], message: `The address must be inside a LAN subnet (${c.settings.lanSubnets.join(", ")})` });
    else if (h.address === lan.address)
      ctx.addIssue({ code: "custom", path: ["hosts", i, "address"], message: "That is the gateway's own LAN address" });
    else if (isNetworkOrBroadcast(h.address, lan.prefix))
      ctx.addIssue({ code: "custom", path: ["hosts", i, "address"], message: "That is the subnet's network or broadcast address" });
    if (h.isp && !c.isps.some((x) => x.name === h.isp))
      ctx.addIssue({ code: "custom", path: ["hosts", i, "isp"], message: `There is no ISP named ${h.isp}` });
  });
}

function checkSettings(c: GatewayConfig, ctx: Ctx, ok: Valid) {
  if (!ok.settings) return;
  const s = c.settings;
  if (s.defaultIsp && !c.isps.some((x) => x.name === s.defaultIsp))
    ctx.addIssue({ code: "custom", path: ["settings", "defaultIsp"], message: `There is no ISP named ${s.defaultIsp}` });
  const lans = s.lanSubnets.map(parseCidr);
  lans.forEach((l, i) => {
    lans.forEach((o, j) => {
      if (l && o && j < i && subnetsOverlap(l.address, l.prefix, o.address, o.prefix))
        ctx.addIssue({ code: "custom", path: ["settings", "lanSubnets"], message: `${s.lanSubnets[i]} overlaps ${s.lanSubnets[j]}` });
    });
  });
}

export const gatewayConfigSchema = z
  .object({
    settings: settingsSchema,
    isps: z.array(ispSchema).max(64, "At most 64 ISPs"),
    natAddresses: z.array(natAddressSchema).max(4096),
    hosts: z.array(hostSchema).max(10000, "At most 10000 hosts"),
  })
  .strict()
  .superRefine((c, ctx) => {
    const ok = validity(c);
    checkSettings(c, ctx, ok);
    checkIsps(c, ctx, ok);
    checkNat(c, ctx, ok);
    checkHosts(c, ctx, ok);
  });

export type ConfigIssue = { path: Path; message: string };

export function validateConfig(input: unknown): { ok: true; config: GatewayConfig } | { ok: false; issues: ConfigIssue[] } {
  const r = gatewayConfigSchema.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path as Path, message: i.message })) };
}
