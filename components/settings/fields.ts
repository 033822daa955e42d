import type { FieldSpec } from "@/components/ui/field";
import { usesOptions } from "@/components/policies/words";
import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { usesValue } from "@/lib/validation/form";
import { canarySlots } from "@/lib/net/canary/slots";
import { IPV6_SUBNETS_FIELD, RA_FIELD } from "./ipv6-fields";

/** "default=192.168.1.254, ISP1=192.168.1.253": the canary's addresses as the form shows them. */
export const canaryPairs = (a: Record<string, string>) =>
  Object.entries(a)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

/** autoNow: what "auto" resolves to on the gateway now (shown beside the choice); null when it could not be read */
export function settingsFields(config: GatewayConfig, autoNow: FirewallBackend | null = null): FieldSpec[] {
  return [
    { name: "lanInterface", label: "LAN interface", placeholder: "lan0" },
    {
      name: "lanSubnets",
      label: "LAN subnets",
      placeholder: "192.168.1.1/24",
      help: "This gateway's LAN address with its prefix; separate several with commas",
    },
    { ...IPV6_SUBNETS_FIELD, name: "lanSubnets6" },
    RA_FIELD,
    {
      name: "uses",
      label: "Everyone else uses",
      type: "select",
      options: [{ value: "", label: "The first enabled ISP" }, ...usesOptions(config)],
      help: "Hosts without an ISP or policy of their own (and machines not listed as hosts) leave through this ISP, or by this policy",
    },
    {
      name: "failback",
      label: "Failback",
      type: "select",
      options: [
        { value: "move", label: "Move established connections back when an ISP recovers" },
        { value: "keep", label: "Leave established connections where they are" },
      ],
      help: "New connections always return to a recovered ISP; this says what happens to the ones opened during the outage",
    },
    {
      name: "firewall",
      label: "Firewall backend",
      type: "select",
      options: [
        { value: "auto", label: `Automatic${autoNow ? ` (now: ${autoNow})` : ""}: nftables where nft is installed and no Switchyard iptables rules are there` },
        { value: "nftables", label: "nftables" },
        { value: "iptables", label: "iptables" },
      ],
      help: "Switching is one apply: it removes the old backend's Switchyard rules and installs the new ones, rolled back if it fails. Other tables and rules on the gateway are never touched",
    },
    {
      name: "canary",
      label: "Canary",
      type: "select",
      options: [
        { value: "on", label: "On: prove every ISP, policy and the default by real packets through the gateway" },
        { value: "off", label: "Off: verify by route lookup and the hosts' own connections only" },
      ],
      help: "A port on the LAN bridge with one reserved address per target, placed in the host map like a host; each apply connects from it to the ISP's probe targets and checks the NAT address it left with",
    },
    {
      name: "canaryAddresses",
      label: "Canary addresses",
      placeholder:
        canaryPairs(
          Object.fromEntries(canarySlots({ ...config, settings: { ...config.settings, canary: { enabled: true } } }).map((s) => [s.key, s.address])),
        ) || "default=192.168.1.254",
      help: "Reserve an address per target as target=address (default, an ISP's name, policy:<name>, lan:<name>); the rest are chosen from the top of the first LAN subnet (shown). Pick addresses outside your DHCP pool: an address something answers on is not used",
    },
  ];
}

export function settingsValues(config: GatewayConfig): Record<string, string> {
  const s = config.settings;
  return {
    lanInterface: s.lanInterface,
    lanSubnets: s.lanSubnets.join(", "),
    lanSubnets6: (s.lanSubnets6 ?? []).join(", "),
    uses: usesValue(s.defaultIsp, s.defaultPolicy),
    failback: s.failback ?? "move",
    firewall: s.firewall ?? "auto",
    ra: s.ra?.enabled ? "on" : "off",
    canary: s.canary?.enabled ? "on" : "off",
    canaryAddresses: canaryPairs(s.canary?.addresses ?? {}),
  };
}
