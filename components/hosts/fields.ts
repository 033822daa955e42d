import { allLanSubnets } from "@/lib/net/lans";
import type { FieldSpec } from "@/components/ui/field";
import { everyoneElseUses, usesOptions } from "@/components/policies/words";
import type { GatewayConfig, HostConfig } from "@/lib/model";
import { usesValue } from "@/lib/validation/form";

/** "Uses" offers what everyone else uses (""), every ISP and every policy: one choice, so never both. */
export function hostFields(config: GatewayConfig): FieldSpec[] {
  return [
    { name: "name", label: "Name", placeholder: "office-pc" },
    { name: "address", label: "LAN address", placeholder: "192.168.1.100", help: `Inside a LAN subnet (${allLanSubnets(config).join(", ")})` },
    { name: "mac", label: "MAC address (optional)", placeholder: "52:54:00:12:34:56" },
    {
      name: "uses",
      label: "Uses",
      type: "select",
      options: [{ value: "", label: `What everyone else uses (now ${everyoneElseUses(config)})` }, ...usesOptions(config)],
      help: "One ISP its traffic leaves through, or a policy: a failover order or a balanced group of ISPs",
    },
    { name: "notes", label: "Notes", type: "textarea" },
  ];
}

export function hostValues(host?: HostConfig): Record<string, string> {
  if (!host) return { uses: "" };
  return { name: host.name, address: host.address, mac: host.mac ?? "", uses: usesValue(host.isp, host.policy), notes: host.notes };
}
