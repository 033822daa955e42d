import type { FieldSpec } from "@/components/ui/field";

/** A LAN's IPv6 /64s (docs/ipv6.md), on the main LAN's settings and on each LAN beside it. */
export const IPV6_SUBNETS_FIELD: FieldSpec = {
  name: "subnets6",
  label: "IPv6 subnets (optional)",
  placeholder: "2001:db8:1:1::1/64",
  help: "This gateway's address on a /64 of each ISP's IPv6 prefix (one per ISP), like 2001:db8:1:1::1/64; separate several with commas. Empty: no IPv6 on this LAN",
};
