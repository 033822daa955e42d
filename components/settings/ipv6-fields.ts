import type { FieldSpec } from "@/components/ui/field";

/** A LAN's IPv6 /64s (docs/ipv6.md), on the main LAN's settings and on each LAN beside it. */
export const IPV6_SUBNETS_FIELD: FieldSpec = {
  name: "subnets6",
  label: "IPv6 subnets (optional)",
  placeholder: "2001:db8:1:1::1/64",
  help: "This gateway's address on a /64 of each ISP's IPv6 prefix (one per ISP), like 2001:db8:1:1::1/64; separate several with commas. Empty: no IPv6 on this LAN",
};

/** Router advertisements by Switchyard's own radvd (lib/net/ra, docs/ipv6.md), beside the main LAN's IPv6 subnets. */
export const RA_FIELD: FieldSpec = {
  name: "ra",
  label: "Router advertisements",
  type: "select",
  options: [
    { value: "off", label: "Off: the LAN's hosts learn their IPv6 prefixes elsewhere (or not at all)" },
    { value: "on", label: "On: Switchyard's radvd advertises each LAN's /64s, a down ISP's deprecated" },
  ],
  help: "Switchyard runs its own radvd on every LAN with IPv6 subnets; while an ISP is down its /64 is advertised with a preferred lifetime of 0, so hosts stop choosing that address for new connections. Refused while another RA daemon (radvd, dnsmasq with enable-ra, odhcpd) serves the LAN",
};
