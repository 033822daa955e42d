// The IPv6 rules that span entities (docs/ipv6.md): ISP prefixes apart from each other, each
// LAN /64 inside exactly one ISP's prefix, one /64 per ISP on each LAN, no /64 on two LANs, and
// an ISP's next hop outside every delegated prefix. Only fields that passed their own schema
// are compared (the caller says which), so one bad field does not hide the others. Router
// advertisements need a LAN with /64s to advertise.
import type { z } from "./zod";
import type { GatewayConfig } from "@/lib/model";
import { parsePrefix, prefixContains, prefixesOverlap } from "@/lib/net/address";
import { ispIpv6Schema } from "./entities";
import { lanSubnets6 } from "./fields-ipv6";

type Ctx = z.RefinementCtx;

interface Isp6 {
  name: string;
  prefix: string;
  gateway: string;
  index: number;
}

/** The ISPs whose IPv6 passed its own schema, in canonical text. */
function isps6(c: GatewayConfig): Isp6[] {
  return c.isps.flatMap((isp, index) => {
    const r = ispIpv6Schema.safeParse(isp.ipv6);
    // a pd ISP not resolved yet (docs/dynamic.md) has no prefix to compare
    return r.success && r.data?.prefix ? [{ name: isp.name, prefix: r.data.prefix, gateway: r.data.gateway, index }] : [];
  });
}

/** Every LAN's /64s with the path of its field (the main LAN first), those that passed their own schema. */
function lans6(c: GatewayConfig) {
  const lans = [
    { name: "lan", list: c.settings.lanSubnets6, path: ["settings", "lanSubnets6"] },
    ...(c.settings.lans ?? []).map((l, i) => ({ name: l.name, list: l.subnets6, path: ["settings", "lans", i, "subnets6"] })),
  ];
  return lans.flatMap((lan) => {
    const r = lanSubnets6.safeParse(lan.list ?? []);
    return r.success ? [{ ...lan, subnets: r.data }] : [];
  });
}

export function checkIpv6(c: GatewayConfig, ctx: Ctx) {
  const isps = isps6(c);
  isps.forEach((a, i) => {
    const other = isps.slice(0, i).find((b) => prefixesOverlap(a.prefix, b.prefix));
    if (other)
      ctx.addIssue({
        code: "custom",
        path: ["isps", a.index, "ipv6", "prefix"],
        message: `${a.name}'s IPv6 prefix ${a.prefix} overlaps ${other.name}'s ${other.prefix}: each ISP delegates its own prefix`,
      });
    const holder = isps.find((b) => prefixContains(b.prefix, a.gateway));
    if (holder)
      ctx.addIssue({
        code: "custom",
        path: ["isps", a.index, "ipv6", "gateway"],
        message: `The IPv6 gateway ${a.gateway} is inside ${holder.name === a.name ? "this ISP's own" : `${holder.name}'s`} prefix ${holder.prefix}, which is routed to this gateway: the ISP's next hop lies outside it (often fe80::1)`,
      });
  });
  if (c.settings.ra?.enabled && !lans6(c).some((l) => l.subnets.length))
    ctx.addIssue({
      code: "custom",
      path: ["settings", "ra"],
      message: "Router advertisements need a LAN with IPv6 subnets: give the LAN its IPv6 subnets (one /64 per ISP) first",
    });
  const seen: { network: string; lan: string }[] = [];
  for (const lan of lans6(c)) {
    const used = new Map<string, string>(); // ISP name -> the /64 of its prefix on this LAN
    lan.subnets.forEach((s) => {
      const bad = (message: string) => ctx.addIssue({ code: "custom", path: lan.path, message });
      const network = parsePrefix(s)!.network;
      const isp = isps.find((x) => prefixContains(x.prefix, parsePrefix(s)!.address));
      if (!isp) {
        bad(
          isps.length
            ? `${s} is inside no ISP's IPv6 prefix (${isps.map((x) => `${x.name} ${x.prefix}`).join(", ")})`
            : `${s}: no ISP has an IPv6 prefix yet; give the ISP its prefix first`,
        );
      } else if (used.has(isp.name)) {
        bad(`${s} and ${used.get(isp.name)} are both in ${isp.name}'s prefix ${isp.prefix}: one /64 per ISP on a LAN`);
      } else used.set(isp.name, s);
      const twice = seen.find((x) => x.network === network);
      if (twice && twice.lan !== lan.name) bad(`${network} is already on LAN ${twice.lan}: each /64 is on one LAN`);
      seen.push({ network, lan: lan.name });
    });
  }
}
