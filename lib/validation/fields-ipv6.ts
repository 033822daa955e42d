// IPv6 field schemas (docs/ipv6.md): an ISP's prefix, its next hop, a LAN's /64. Each comes out in
// canonical text (RFC 5952), so two spellings of one prefix compare equal and store the same.
import ipaddr from "ipaddr.js";
import { z } from "./zod";
import { parseAddress, parsePrefix } from "@/lib/net/address";

/** Ranges no ISP delegates and no LAN carries: the gateway could never route them. */
const NOT_ROUTABLE = new Set(["unspecified", "loopback", "multicast", "linkLocal", "ipv4Mapped", "rfc6145", "rfc6052", "6to4", "teredo"]);
const rangeOf = (address: string) => ipaddr.IPv6.parse(address).range();

/** An ISP's IPv6 prefix, /48 to /64, stored as its network ("2001:db8:1::/48"). */
export const ipv6Prefix = z
  .string({ error: "Enter the ISP's IPv6 prefix, like 2001:db8:1::/48" })
  .trim()
  .superRefine((s, ctx) => {
    const p = parsePrefix(s);
    const bad = (message: string) => ctx.addIssue({ code: "custom", message });
    if (!p || p.family !== "ipv6") return bad("Enter the ISP's IPv6 prefix as network/length, like 2001:db8:1::/48");
    if (p.prefix < 48 || p.prefix > 64) return bad("An ISP's IPv6 prefix is between /48 and /64 (what it delegates or routes to this gateway)");
    if (NOT_ROUTABLE.has(rangeOf(p.address))) return bad(`${p.network} is not a global prefix (link-local, multicast or loopback)`);
    if (p.address !== p.network.split("/")[0]) bad(`${s} has host bits set: enter the network, ${p.network}`);
  })
  .transform((s) => parsePrefix(s)!.network);

/** An ISP's IPv6 next hop. Link-local (fe80::1) is the usual case: it is reached through the ISP's WAN interface. */
export const ipv6Gateway = z
  .string({ error: "Enter the ISP's IPv6 gateway, like fe80::1" })
  .trim()
  .superRefine((s, ctx) => {
    const a = parseAddress(s);
    if (!a || a.family !== "ipv6") return ctx.addIssue({ code: "custom", message: "Enter an IPv6 address like fe80::1 (no /length, no %interface)" });
    const r = rangeOf(a.address);
    if (r === "unspecified" || r === "loopback" || r === "multicast") ctx.addIssue({ code: "custom", message: `${a.address} cannot be a next hop (${r})` });
  })
  .transform((s) => parseAddress(s)!.address);

/** The gateway's own address on a LAN /64 of an ISP's prefix: "2001:db8:1:1::1/64". */
export const lanSubnet6 = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    const p = parsePrefix(s);
    const bad = (message: string) => ctx.addIssue({ code: "custom", message });
    if (!p || p.family !== "ipv6") return bad(`Enter the gateway's IPv6 address on the LAN with /64, like 2001:db8:1:1::1/64 (not ${JSON.stringify(s)})`);
    if (p.prefix !== 64) return bad(`${s}: a LAN's IPv6 subnet is a /64 (hosts pick their own addresses in it)`);
    if (NOT_ROUTABLE.has(rangeOf(p.address))) return bad(`${s} is not a global address (link-local, multicast or loopback)`);
    if (p.address === p.network.split("/")[0])
      bad(`${s} is the network itself: enter the gateway's own address in it, like ${p.address.replace(/::$/, "::1")}/64`);
  })
  .transform((s) => `${parsePrefix(s)!.address}/64`);

/** A list from a form's text ("a, b" or one a line) or an array. */
export const listOf = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(/[,\s]+/).filter(Boolean) : v), z.array(item).max(max, `At most ${max} ${what}`));

export const lanSubnets6 = listOf(lanSubnet6, 16, "IPv6 subnets on a LAN");

const blankOr = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/** The ISP form's IPv6 section, field by field (checked when a field is left; empty: IPv6 off). */
export const ipv6FormFieldsSchema = z.object({
  ipv6Prefix: blankOr(ipv6Prefix),
  ipv6Gateway: blankOr(ipv6Gateway),
  // the choice for an ISP without IPv6 (IspConfig.ipv6Hosts)
  ipv6Hosts: z.enum(["follow", "unreachable"]).optional(),
});
