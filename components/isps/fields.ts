import type { FieldSpec } from "@/components/ui/field";
import type { IspConfig } from "@/lib/model";

export const ispFields: FieldSpec[] = [
  { name: "name", label: "Name", placeholder: "ISP1", help: "Also the name of its routing table" },
  { name: "wanInterface", label: "WAN interface", placeholder: "eth0" },
  { name: "linkAddress", label: "This gateway's address on the link", placeholder: "203.0.113.10" },
  { name: "linkPrefix", label: "Link prefix length", placeholder: "24", inputMode: "numeric" },
  { name: "gatewayAddress", label: "ISP gateway (next hop)", placeholder: "203.0.113.1" },
  { name: "routingTable", label: "Routing table number", placeholder: "100", inputMode: "numeric", help: "1-252; 0 and 253-255 are the kernel's" },
  { name: "mark", label: "Firewall mark", placeholder: "1", inputMode: "numeric", help: "1-254 (or 0x01-0xfe; 255 marks traffic with no ISP left); hosts on this ISP get this mark" },
  {
    name: "natMode", label: "Outbound NAT", type: "select",
    options: [
      { value: "SNAT", label: "SNAT to its NAT address (static address)" },
      { value: "MASQUERADE", label: "MASQUERADE (dynamic address)" },
    ],
  },
  { name: "enabled", label: "Enabled (carries traffic)", type: "checkbox" },
];

export function ispValues(isp?: IspConfig): Record<string, string> {
  if (!isp) return { natMode: "SNAT", enabled: "on", linkPrefix: "24" };
  return {
    name: isp.name, wanInterface: isp.wanInterface, linkAddress: isp.linkAddress, linkPrefix: String(isp.linkPrefix),
    gatewayAddress: isp.gatewayAddress, routingTable: String(isp.routingTable), mark: String(isp.mark),
    natMode: isp.natMode, enabled: isp.enabled ? "on" : "",
  };
}
