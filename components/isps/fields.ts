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

export function ispValues(isp?: IspConfig): Record<string, string> {
  if (!isp) return { natMode: "SNAT", enabled: "on", linkPrefix: "24", addressMode: "static" };
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
  };
}
