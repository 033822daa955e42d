import type { FieldSpec } from "@/components/ui/field";
import type { GatewayConfig } from "@/lib/model";

export function settingsFields(config: GatewayConfig): FieldSpec[] {
  return [
    { name: "lanInterface", label: "LAN interface", placeholder: "lan0" },
    { name: "lanSubnets", label: "LAN subnets", placeholder: "192.168.1.1/24", help: "This gateway's LAN address with its prefix; separate several with commas" },
    {
      name: "defaultIsp", label: "Default ISP", type: "select",
      options: [{ value: "", label: "First enabled ISP" }, ...config.isps.map((i) => ({ value: i.name, label: i.enabled ? i.name : `${i.name} (disabled)` }))],
      help: "Hosts without an ISP of their own leave through it",
    },
  ];
}

export function settingsValues(config: GatewayConfig): Record<string, string> {
  const s = config.settings;
  return { lanInterface: s.lanInterface, lanSubnets: s.lanSubnets.join(", "), defaultIsp: s.defaultIsp ?? "" };
}
