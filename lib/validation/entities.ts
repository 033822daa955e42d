// One schema per entity, as it is stored and exchanged (config import/export,
// forms after FormData is turned into an object). Cross-entity rules live in
// config.ts and run over the whole configuration.
import { z } from "zod";
import {
  emptyToNull, firewallMark, strictBoolean, hostName, interfaceName, ipv4, ispName,
  lanSubnet, macAddress, natMode, notes, prefixLength, routingTable,
  failback, policyName, policyTier, policyWeight,
} from "./fields";

export const ispSchema = z.object({
  name: ispName,
  wanInterface: interfaceName,
  gatewayAddress: ipv4,
  linkAddress: ipv4,
  linkPrefix: prefixLength,
  routingTable,
  mark: firewallMark,
  enabled: strictBoolean("Enabled"),
  natMode,
});

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

export const settingsSchema = z.object({
  lanInterface: interfaceName,
  lanSubnets: z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[,\s]+/).filter(Boolean) : v),
    z.array(lanSubnet).min(1, "Enter at least one LAN subnet, like 192.168.1.1/24").max(16, "At most 16 LAN subnets"),
  ),
  defaultIsp: emptyToNull(ispName),
  defaultPolicy: emptyToNull(policyName).optional(),
  failback: failback.optional(),
});

export type IspInput = z.infer<typeof ispSchema>;
export type HostInput = z.infer<typeof hostSchema>;
export type NatAddressInput = z.infer<typeof natAddressSchema>;
export type PolicyInput = z.infer<typeof policySchema>;
export type SettingsInput = z.infer<typeof settingsSchema>;
