import type { FieldSpec } from "@/components/ui/field";
import type { GatewayConfig, HostConfig } from "@/lib/model";

/** The ISP select offers the default ISP ("") and every ISP by name. */
export function hostFields(config: GatewayConfig): FieldSpec[] {
  return [
    { name: "name", label: "Name", placeholder: "office-pc" },
    { name: "address", label: "LAN address", placeholder: "192.168.1.100", help: `Inside a LAN subnet (${config.settings.lanSubnets.join(", ")})` },
    { name: "mac", label: "MAC address (optional)", placeholder: "52:54:00:12:34:56" },
    {
      name: "isp", label: "ISP", type: "select",
      options: [{ value: "", label: "Default ISP" }, ...config.isps.map((i) => ({ value: i.name, label: i.enabled ? i.name : `${i.name} (disabled)` }))],
      help: "The connection this host's traffic leaves through",
    },
    { name: "notes", label: "Notes", type: "textarea" },
  ];
}

export function hostValues(host?: HostConfig): Record<string, string> {
  if (!host) return { isp: "" };
  return { name: host.name, address: host.address, mac: host.mac ?? "", isp: host.isp ?? "", notes: host.notes };
}
