import type { FieldSpec } from "@/components/ui/field";
import { usesOptions } from "@/components/policies/words";
import type { GatewayConfig, LanConfig } from "@/lib/model";
import { usesValue } from "@/lib/validation/form";
import { IPV6_SUBNETS_FIELD } from "@/components/settings/ipv6-fields";

/** The form of a LAN beside the main one (a guest network, a VLAN). */
export function lanFields(config: GatewayConfig): FieldSpec[] {
  return [
    { name: "name", label: "Name", placeholder: "guest", help: "A short name: lower-case letters, digits and dashes (the main LAN is lan)" },
    {
      name: "interface",
      label: "Interface",
      placeholder: "br-guest",
      help: "The interface its hosts reach the gateway on: a bridge (br-guest) or a VLAN (lan0.30). A bridge also gets a canary port, so its path is proven by real packets",
    },
    { name: "subnets", label: "Subnets", placeholder: "10.30.0.1/24", help: "This gateway's address on it with the prefix; separate several with commas" },
    IPV6_SUBNETS_FIELD,
    {
      name: "uses",
      label: "Its unlisted hosts use",
      type: "select",
      options: [{ value: "", label: "What everyone else uses (Settings)" }, ...usesOptions(config)],
      help: "Hosts of this LAN without an ISP or policy of their own leave through this ISP, or by this policy (the guest network on the LTE, say). Hosts you place on an ISP keep it",
    },
  ];
}

export function lanValues(lan?: LanConfig): Record<string, string> {
  return lan
    ? {
        name: lan.name,
        interface: lan.interface,
        subnets: lan.subnets.join(", "),
        subnets6: (lan.subnets6 ?? []).join(", "),
        uses: usesValue(lan.defaultIsp, lan.defaultPolicy),
      }
    : { name: "", interface: "", subnets: "", subnets6: "", uses: "" };
}
