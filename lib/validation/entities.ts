// One schema per entity, as it is stored and exchanged (config import/export,
// forms after FormData is turned into an object). Cross-entity rules live in
// config.ts and run over the whole configuration.
import { z } from "./zod";
import type { IspConfig } from "@/lib/model";
import { networkOf, parseCidr } from "@/lib/net/ipv4";
import {
  emptyToNull,
  firewallMark,
  strictBoolean,
  hostName,
  interfaceName,
  ipv4,
  ispName,
  lanSubnet,
  macAddress,
  natMode,
  notes,
  prefixLength,
  routingTable,
  failback,
  firewallSetting,
  policyName,
  policyTier,
  policyWeight,
} from "./fields";
import { ipv6Gateway, ipv6Prefix, lanSubnets6 } from "./fields-ipv6";

export const addressMode = z.enum(["static", "dhcp", "ppp"], { error: "Choose static, DHCP or PPP" });

/** A block the ISP routes to this gateway, as its network address and prefix: 198.51.100.8/29. */
export const routedBlock = z
  .string()
  .refine((s) => parseCidr(s) !== null, { message: "Enter a routed block as network/prefix, like 198.51.100.8/29" })
  .refine(
    (s) => {
      const c = parseCidr(s);
      return !c || (c.prefix >= 16 && c.prefix <= 32);
    },
    { message: "A routed block's prefix must be between /16 and /32" },
  )
  .refine(
    (s) => {
      const c = parseCidr(s);
      return !c || ipv4.safeParse(c.address).success;
    },
    { message: "That block is reserved (0.x, loopback, multicast or class E)" },
  )
  .refine(
    (s) => {
      const c = parseCidr(s);
      return !c || networkOf(c.address, c.prefix) === c.address;
    },
    { message: "Enter the block's network address (e.g. 198.51.100.8/29, not 198.51.100.10/29)" },
  );

const routedBlocks = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[,\s]+/).filter(Boolean) : v),
  z.array(routedBlock).max(16, "At most 16 routed blocks"),
);

const blank = (v: unknown) => v === "" || v === null || v === undefined;

/**
 * An ISP's IPv6 (docs/ipv6.md): prefix and gateway together, or neither (IPv6 off: an empty
 * prefix and gateway, as a form or `--ipv6-prefix none` sends them, is the same as no ipv6).
 * mode "pd" (docs/dynamic.md, DHCPv6-PD): both are learned from the box and stored empty; a
 * configuration that ran carries the learned ones, checked like typed ones.
 * translate is kept only when false (true is the default), as the stored configuration holds it.
 */
export const ispIpv6Schema = z.preprocess(
  (v) =>
    v &&
    typeof v === "object" &&
    blank((v as { mode?: unknown }).mode === "static" ? undefined : (v as { mode?: unknown }).mode) &&
    blank((v as { prefix?: unknown }).prefix) &&
    blank((v as { gateway?: unknown }).gateway)
      ? undefined
      : v,
  z
    .object({
      mode: z.enum(["static", "pd"], { error: 'The IPv6 mode is "static" (typed in) or "pd" (learned by DHCPv6 prefix delegation)' }).optional(),
      prefix: z.preprocess((v) => (blank(v) ? null : v), ipv6Prefix.nullable()),
      gateway: z.preprocess((v) => (blank(v) ? null : v), ipv6Gateway.nullable()),
      translate: z.boolean({ error: "Translate must be true or false" }).optional(),
    })
    .strict()
    .superRefine((v, ctx) => {
      if (v.mode === "pd") return;
      if (v.prefix === null)
        ctx.addIssue({
          code: "custom",
          path: ["prefix"],
          message: "Enter the ISP's IPv6 prefix too (a gateway alone does nothing), or clear the IPv6 gateway",
        });
      if (v.gateway === null)
        ctx.addIssue({
          code: "custom",
          path: ["gateway"],
          message: "Enter the ISP's IPv6 gateway (its next hop on the WAN, often fe80::1), or clear the prefix",
        });
    })
    .transform((v) => ({
      ...(v.mode === "pd" ? { mode: "pd" as const } : {}),
      prefix: v.prefix ?? "",
      gateway: v.gateway ?? "",
      ...(v.translate === false ? { translate: false } : {}),
    }))
    .optional(),
);

const isDynamic = (v: unknown) => {
  const mode = (v as { addressMode?: unknown } | null)?.addressMode;
  return mode === "dhcp" || mode === "ppp";
};

/**
 * Static (the default; a missing addressMode is static, so every older file stays valid):
 * the link address, prefix and gateway are required. Dynamic (dhcp, ppp): they are learned
 * from the kernel at every apply (lib/net/dynamic.ts) and never stored: stored as "" and 0.
 */
/** The fields of an ISP, each on its own (the whole-config checks ask which ones are valid). */
export const ispFieldsSchema = z.object({
  name: ispName,
  wanInterface: interfaceName,
  gatewayAddress: ipv4.nullable(),
  linkAddress: ipv4.nullable(),
  linkPrefix: prefixLength.nullable(),
  routingTable,
  mark: firewallMark,
  enabled: strictBoolean("Enabled"),
  natMode,
  addressMode: addressMode.optional(),
  routedBlocks: routedBlocks.optional(),
  ipv6: ispIpv6Schema,
  ipv6Hosts: z.enum(["follow", "unreachable"], { error: 'IPv6 of its hosts must be "follow" or "unreachable"' }).optional(),
});

export const ispSchema = z
  .preprocess((v) => (isDynamic(v) && typeof v === "object" ? { ...v, gatewayAddress: null, linkAddress: null, linkPrefix: null } : v), ispFieldsSchema)
  .superRefine((v, ctx) => {
    if (v.addressMode === "dhcp" || v.addressMode === "ppp") return;
    for (const f of ["gatewayAddress", "linkAddress"] as const)
      if (v[f] === null) ctx.addIssue({ code: "custom", path: [f], message: "Enter an IPv4 address" });
    if (v.linkPrefix === null) ctx.addIssue({ code: "custom", path: ["linkPrefix"], message: "Enter a prefix length" });
  })
  // refused, not ignored: a user who asked for refusal must not believe it holds on an ISP with IPv6
  .superRefine((v, ctx) => {
    if (v.ipv6 && v.ipv6Hosts === "unreachable")
      ctx.addIssue({
        code: "custom",
        path: ["ipv6Hosts"],
        message: 'An ISP with IPv6 routes its hosts\' IPv6 itself: "unreachable" is only for an ISP without IPv6 (clear the prefix, or choose follow)',
      });
  })
  // the stored order of IspConfig, so a static ISP's JSON is byte-identical to what it was before address modes
  .transform(
    ({ name, wanInterface, gatewayAddress, linkAddress, linkPrefix, routingTable, mark, enabled, natMode, routedBlocks, addressMode, ipv6, ipv6Hosts }) => ({
      name,
      wanInterface,
      gatewayAddress: gatewayAddress ?? "",
      linkAddress: linkAddress ?? "",
      linkPrefix: linkPrefix ?? 0,
      routingTable,
      mark,
      enabled,
      natMode,
      ...(addressMode && addressMode !== "static" ? { addressMode } : {}),
      ...(routedBlocks?.length ? { routedBlocks } : {}),
      ...(ipv6 ? { ipv6 } : {}),
      // "follow" is the default: not written, so a configuration without it reads as before
      ...(ipv6Hosts === "unreachable" ? { ipv6Hosts } : {}),
    }),
  );

/** A dynamic ISP's addresses come from the kernel (DHCP client, PPP). */
export const isDynamicIsp = (isp: { addressMode?: string }) => isp.addressMode === "dhcp" || isp.addressMode === "ppp";

export const natAddressSchema = z.object({
  address: ipv4,
  isp: ispName,
  isDefault: strictBoolean("Default"),
  host: emptyToNull(ipv4),
});

export const hostSchema = z.object({
  name: hostName,
  address: ipv4,
  mac: emptyToNull(macAddress),
  isp: emptyToNull(ispName),
  policy: emptyToNull(policyName).optional(),
  notes: z.preprocess((v) => (v == null ? "" : v), notes),
});

export const policyMemberSchema = z.object({
  isp: ispName,
  tier: policyTier,
  weight: policyWeight,
});

export const policySchema = z.object({
  name: policyName,
  members: z.array(policyMemberSchema).min(1, "Add at least one ISP").max(8, "At most 8 ISPs in a policy"),
  sticky: strictBoolean("Sticky"),
  lastResort: emptyToNull(ispName),
  notes: z.preprocess((v) => (v == null ? "" : v), notes),
});

/** The canary: on or off, and the LAN addresses reserved for some targets ("default", an ISP's name, "policy:<name>"). */
export const canarySchema = z
  .object({
    enabled: z.boolean({ error: "The canary is on or off" }),
    addresses: z
      .record(
        z
          .string()
          .regex(
            /^(default|(policy|lan):[A-Za-z0-9][A-Za-z0-9_.-]{0,31}|[A-Za-z0-9][A-Za-z0-9_.-]{0,31})$/,
            "A canary target is default, an ISP's name, policy:<name> or lan:<name>",
          ),
        ipv4,
      )
      .optional(),
  })
  .strict();

/** Router advertisements by Switchyard's own radvd (lib/net/ra): on or off. */
export const raSchema = z.object({ enabled: z.boolean({ error: "Router advertisements are on or off" }) }).strict();

const lanSubnets = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[,\s]+/).filter(Boolean) : v),
  z.array(lanSubnet).min(1, "Enter at least one LAN subnet, like 192.168.1.1/24").max(16, "At most 16 LAN subnets"),
);

/** A LAN beside the main one (a guest network, a VLAN); "lan" is the main LAN's name. */
export const lanSchema = z
  .object({
    name: z
      .string({ error: "Enter a name" })
      .trim()
      .regex(/^[a-z][a-z0-9-]{0,15}$/, "A LAN's name: up to 16 lower-case letters, digits and dashes, starting with a letter (like guest)")
      .refine((n) => n !== "lan", "lan is the main LAN's name: choose another, like guest"),
    interface: interfaceName,
    subnets: lanSubnets,
    subnets6: lanSubnets6.optional(),
    defaultIsp: emptyToNull(ispName).optional(),
    defaultPolicy: emptyToNull(policyName).optional(),
  })
  .strict();

export const settingsSchema = z.object({
  lanInterface: interfaceName,
  lanSubnets,
  /** [] (a form's empty field) turns the main LAN's IPv6 off; absent keeps it (lib/data/settings.ts) */
  lanSubnets6: lanSubnets6.optional(),
  defaultIsp: emptyToNull(ispName),
  defaultPolicy: emptyToNull(policyName).optional(),
  failback: failback.optional(),
  firewall: firewallSetting.optional(),
  canary: canarySchema.optional(),
  ra: raSchema.optional(),
  lans: z.array(lanSchema).max(8, "At most 8 LANs beside the main one").optional(),
});

export type LanInput = z.infer<typeof lanSchema>;
export type IspInput = IspConfig; // z.infer narrows addressMode to the dynamic ones (static is left out)
export type HostInput = z.infer<typeof hostSchema>;
export type NatAddressInput = z.infer<typeof natAddressSchema>;
export type PolicyInput = z.infer<typeof policySchema>;
export type SettingsInput = z.infer<typeof settingsSchema>;
