import type { FieldSpec } from "@/components/ui/field";
import type { GatewayConfig, NatAddressConfig } from "@/lib/model";

export function natFields(config: GatewayConfig): FieldSpec[] {
  return [
    { name: "address", label: "Public address", placeholder: "203.0.113.11", help: "Inside the ISP's link subnet" },
    { name: "isp", label: "ISP", type: "select", options: config.isps.map((i) => ({ value: i.name, label: i.name })) },
    {
      name: "host",
      label: "Pinned host",
      type: "select",
      options: [{ value: "", label: "Not pinned" }, ...config.hosts.map((h) => ({ value: h.address, label: `${h.name} (${h.address})` }))],
      help: "This host always leaves from this address when it uses this ISP",
    },
    { name: "isDefault", label: "Default address for its ISP (replaces the current default)", type: "checkbox" },
  ];
}

export function natValues(config: GatewayConfig, nat?: NatAddressConfig): Record<string, string> {
  if (!nat) return { isp: config.isps[0]?.name ?? "", host: "", isDefault: "" };
  return { address: nat.address, isp: nat.isp, host: nat.host ?? "", isDefault: nat.isDefault ? "on" : "" };
}
