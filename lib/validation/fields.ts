// Field schemas: one definition per kind of value, shared by forms, server
// actions, the seed, the CLI and config import. Anything that can reach a
// command line is matched against a strict ASCII allow-list, so shell
// metacharacters, whitespace, NULs and unicode look-alikes never pass.
import { z } from "./zod";
import { IPV4_RE, isNetworkOrBroadcast, parseCidr } from "@/lib/net/ipv4";

const RESERVED_INTERFACES = new Set(["lo", "all", "default"]);

/** Linux: at most 15 bytes (IFNAMSIZ - 1), no '/', ':' or whitespace; we also refuse anything else odd. */
export const interfaceName = z
  .string({ error: "Enter an interface name" })
  .min(1, "Enter an interface name")
  .max(15, "Linux interface names are at most 15 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "Use letters, digits, '.', '-' or '_', starting with a letter or digit (no spaces, '/', ':' or other symbols)")
  // lo is the loopback device; all and default are not devices but sysctl's net.ipv4.conf.{all,default}
  .refine((s) => !RESERVED_INTERFACES.has(s), { message: "lo, all and default are not interfaces a gateway routes through" });

export const ipv4 = z
  .string({ error: "Enter an IPv4 address" })
  .min(1, "Enter an IPv4 address")
  .max(15, "Enter an IPv4 address like 203.0.113.10")
  .regex(IPV4_RE, "Enter an IPv4 address like 203.0.113.10 (four numbers 0-255, no leading zeros)")
  .refine((s) => !s.startsWith("0.") && !s.startsWith("127.") && !/^(22[4-9]|2[3-5]\d)\./.test(s), {
    message: "That address is reserved (0.x, loopback, multicast or class E) and cannot be used here",
  });

/** A whole number from a number or a decimal (with allowHex, also 0x-hex) string; anything else is refused, not guessed. */
export function wholeNumber(label: string, min: number, max: number, hint = "", allowHex = false) {
  return z.preprocess(
    (v) => {
      if (typeof v !== "string") return v;
      if (/^\d{1,10}$/.test(v)) return Number(v);
      if (allowHex && /^0x[0-9a-fA-F]{1,8}$/.test(v)) return Number.parseInt(v, 16);
      return v;
    },
    z
      .number({ error: `${label} must be a whole number` })
      .int(`${label} must be a whole number`)
      .min(min, `${label} must be between ${min} and ${max}${hint}`)
      .max(max, `${label} must be between ${min} and ${max}${hint}`),
  );
}

/** 32: a point-to-point link (PPPoE, some DHCP leases) whose gateway lies outside it, reached onlink. */
export const prefixLength = wholeNumber("Prefix length", 8, 32, " (e.g. 24 for 255.255.255.0, 32 for a point-to-point link)");

/** Routing table numbers 0 and 253-255 belong to the kernel (unspec, default, main, local). */
export const routingTable = wholeNumber("Routing table", 1, 252, " (0 and 253-255 are the kernel's own)");

/** Switchyard uses the low 8 bits of the firewall mark (mask 0xff). */
export const firewallMark = wholeNumber("Firewall mark", 1, 254, " (Switchyard uses mark bits 0xff; 255 marks traffic that has no ISP left)", true);

const RESERVED_TABLE_NAMES = new Set(["main", "local", "default", "unspec", "all"]);

export const ispName = z
  .string({ error: "Enter a name" })
  .min(1, "Enter a name")
  .max(31, "Use at most 31 characters")
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "Start with a letter; use letters, digits, '-' or '_' (it becomes a routing table name)")
  .refine((s) => !RESERVED_TABLE_NAMES.has(s.toLowerCase()), {
    message: "main, local, default, unspec and all are the kernel's own table names",
  });

/** A policy's name becomes part of its iptables chain (SWYD-P-<name>, at most 28 characters). */
export const policyName = z
  .string({ error: "Enter a name" })
  .min(1, "Enter a name")
  .max(21, "Use at most 21 characters (the name becomes part of an iptables chain name)")
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "Start with a letter; use letters, digits, '-' or '_'");

export const policyTier = wholeNumber("Tier", 1, 8, " (1 is used first; a higher tier only when no ISP of a lower one is up)");
export const policyWeight = wholeNumber("Weight", 1, 100, " (its share of new connections within its tier)");
export const failback = z.enum(["move", "keep"], { error: "Choose move or keep" });
export const firewallSetting = z.enum(["auto", "nftables", "iptables"], { error: "Choose automatic, nftables or iptables" });

export const hostName = z
  .string({ error: "Enter a name" })
  .min(1, "Enter a name")
  .max(63, "Use at most 63 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, '.', '-' or '_', starting with a letter or digit");

export const macAddress = z
  .string()
  .regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/, "Enter a MAC address like 52:54:00:12:34:56")
  .transform((s) => s.toLowerCase())
  .refine((s) => (Number.parseInt(s.slice(0, 2), 16) & 1) === 0, { message: "That is a multicast MAC address" });

/** Bidirectional-text controls: they make text read differently from what it is ("Trojan Source"). */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Free text. A browser sends a textarea's line ends as CRLF: they are stored as LF, not refused. */
export const notes = z.preprocess(
  (v) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n") : v),
  z
    .string()
    .max(500, "Notes are at most 500 characters")
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/, "Notes cannot contain control characters")
    .refine((s) => !BIDI_CONTROLS.test(s), { message: "Notes cannot contain bidirectional-text control characters" }),
);

export const natMode = z.enum(["SNAT", "MASQUERADE"], { error: "Choose SNAT or MASQUERADE" });

/** A LAN subnet as the gateway's own address with its prefix, e.g. 192.168.1.1/24. */
export const lanSubnet = z
  .string()
  .refine((s) => parseCidr(s) !== null, { message: "Enter the gateway's LAN address with its prefix, like 192.168.1.1/24" })
  .refine(
    (s) => {
      const c = parseCidr(s);
      return !c || (c.prefix >= 8 && c.prefix <= 30);
    },
    { message: "A LAN prefix must be between /8 and /30" },
  )
  .refine(
    (s) => {
      const c = parseCidr(s);
      return !c || ipv4.safeParse(c.address).success;
    },
    { message: "That address is reserved and cannot be a LAN address" },
  )
  .refine(
    (s) => {
      const c = parseCidr(s);
      return !c || !isNetworkOrBroadcast(c.address, c.prefix);
    },
    { message: "That is the subnet's network or broadcast address: enter the gateway's own address in it, like 192.168.1.1/24" },
  );

/** Yes or no: true or false only. An import's 1, "yes", 0 or null is refused, never guessed. */
export const strictBoolean = (label: string) => z.boolean({ error: `${label} must be true or false` });
/** An HTML checkbox: sent ("on") when ticked, absent when not. Form actions turn it into a boolean. */
export const checkbox = (v: string | undefined): boolean => v === "on" || v === "true";

/** Select helper for FormData. */
export const emptyToNull = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === undefined ? null : v), schema.nullable());
