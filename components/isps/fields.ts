import type { FieldSpec } from "@/components/ui/field";
import type { IspConfig } from "@/lib/model";

export const ispFields: FieldSpec[] = [
  { name: "name", label: "Name", placeholder: "ISP1", help: "Also the name of its routing table" },
  { name: "wanInterface", label: "WAN interface", placeholder: "eth0", help: "For PPP, the PPP interface (ppp0)" },
  {
    name: "addressMode",
    label: "Address mode",
    type: "select",
    help: "DHCP and PPP: the address, prefix and gateway are read from the interface at every apply and whenever they change (the three fields below are ignored)",
    options: [
      { value: "static", label: "Static (the values below)" },
      { value: "dhcp", label: "DHCP (learned from the lease)" },
      { value: "ppp", label: "PPP / PPPoE (learned: /32 with its peer)" },
    ],
  },
  { name: "linkAddress", label: "This gateway's address on the link", placeholder: "203.0.113.10", help: "Static only" },
  { name: "linkPrefix", label: "Link prefix length", placeholder: "24", inputMode: "numeric", help: "Static only" },
  { name: "gatewayAddress", label: "ISP gateway (next hop)", placeholder: "203.0.113.1", help: "Static only" },
  {
    name: "routedBlocks",
    label: "Routed blocks (optional)",
    placeholder: "198.51.100.8/29",
    help: "Extra public blocks the ISP routes to this gateway, comma-separated; NAT addresses may sit in them",
  },
  { name: "routingTable", label: "Routing table number", placeholder: "100", inputMode: "numeric", help: "1-252; 0 and 253-255 are the kernel's" },
  {
    name: "mark",
    label: "Firewall mark",
    placeholder: "1",
    inputMode: "numeric",
    help: "1-254 (or 0x01-0xfe; 255 marks traffic with no ISP left); hosts on this ISP get this mark",
  },
  {
    name: "natMode",
    label: "Outbound NAT",
    type: "select",
    options: [
      { value: "SNAT", label: "SNAT to its NAT address (static address)" },
      { value: "MASQUERADE", label: "MASQUERADE (the link's current address)" },
    ],
  },
  { name: "enabled", label: "Enabled (carries traffic)", type: "checkbox" },
];

/** The ISP's IPv6 (docs/ipv6.md): a section of its form, stored as ipv6 {prefix, gateway, translate}. */
export const ipv6Fields: FieldSpec[] = [
  {
    name: "ipv6Mode",
    label: "IPv6 prefix and gateway",
    type: "select",
    help: "Learned: the gateway's own DHCPv6 client (dhcpcd, odhcp6c) asks this ISP for a prefix and puts a /64 of it on the LAN; Switchyard follows what it learns (leave the prefix and gateway empty)",
    options: [
      { value: "static", label: "Typed in (a static prefix)" },
      { value: "pd", label: "Learned by DHCPv6-PD" },
    ],
  },
  {
    name: "ipv6Prefix",
    label: "IPv6 prefix",
    placeholder: "2001:db8:1::/48",
    help: "The prefix this ISP delegates or routes to this gateway, /48 to /64. Empty: no IPv6 through this ISP",
  },
  {
    name: "ipv6Gateway",
    label: "IPv6 gateway (next hop)",
    placeholder: "fe80::1",
    help: "Its IPv6 router, usually link-local (fe80::1): reached through this ISP's WAN interface",
  },
  { name: "ipv6Translate", label: "Translate other ISPs' prefixes for hosts placed here", type: "checkbox" },
  {
    name: "ipv6Hosts",
    label: "IPv6 of the hosts placed here",
    type: "select",
    help: "This ISP has no IPv6. Refused: their IPv6 gets an error at once, so their apps use IPv4 through this ISP",
    options: [
      { value: "follow", label: "Follows the address (leaves by the ISP whose prefix it is)" },
      { value: "unreachable", label: "Refused (IPv4 only through this ISP)" },
    ],
    // only for an ISP without IPv6: with a prefix (typed in or learned by DHCPv6-PD), its hosts' IPv6 leaves here (or follows, translation off)
    shownWhen: (v) => !(v.ipv6Prefix ?? "").trim() && v.ipv6Mode !== "pd",
  },
];

/** The IPv6 section's fields into the ISP's ipv6 (both empty: off). */
export function ipv6FromForm(v: Record<string, string>): Record<string, unknown> {
  const { ipv6Prefix, ipv6Gateway, ipv6Translate, ipv6Hosts, ipv6Mode, ...rest } = v;
  const translate = ipv6Translate === "on" || ipv6Translate === "true";
  // learned by DHCPv6-PD (docs/dynamic.md): prefix and gateway are the box's, not stored
  if (ipv6Mode === "pd") return { ...rest, ipv6: { mode: "pd", prefix: "", gateway: "", translate } };
  // the IPv6-less choice counts only without a prefix (the form shows it only then)
  const hosts = ipv6Hosts && !(ipv6Prefix ?? "").trim() ? { ipv6Hosts } : {};
  if (ipv6Prefix === undefined && ipv6Gateway === undefined) return { ...rest, ...hosts };
  return { ...rest, ...hosts, ipv6: { prefix: ipv6Prefix ?? "", gateway: ipv6Gateway ?? "", translate } };
}

export function ispValues(isp?: IspConfig): Record<string, string> {
  if (!isp)
    return {
      natMode: "SNAT",
      enabled: "on",
      linkPrefix: "24",
      addressMode: "static",
      ipv6Prefix: "",
      ipv6Gateway: "",
      ipv6Translate: "on",
      ipv6Hosts: "follow",
      ipv6Mode: "static",
    };
  const dynamic = isp.addressMode === "dhcp" || isp.addressMode === "ppp";
  return {
    name: isp.name,
    wanInterface: isp.wanInterface,
    addressMode: isp.addressMode ?? "static",
    routedBlocks: (isp.routedBlocks ?? []).join(", "),
    linkAddress: isp.linkAddress,
    linkPrefix: dynamic ? "" : String(isp.linkPrefix),
    gatewayAddress: isp.gatewayAddress,
    routingTable: String(isp.routingTable),
    mark: String(isp.mark),
    natMode: isp.natMode,
    enabled: isp.enabled ? "on" : "",
    ipv6Prefix: isp.ipv6?.prefix ?? "",
    ipv6Gateway: isp.ipv6?.gateway ?? "",
    ipv6Translate: isp.ipv6?.translate === false ? "" : "on",
    ipv6Hosts: isp.ipv6Hosts ?? "follow",
    ipv6Mode: isp.ipv6?.mode ?? "static",
  };
}
