// What differs between two configurations, in words an admin reads: the staged
// changes on the dashboard, and the diff between two revisions in History.
import type { GatewayConfig, PolicyConfig } from "@/lib/model";
import { describePolicy } from "@/lib/net/render/targets";

export interface ConfigChange {
  kind: "ISP" | "host" | "NAT address" | "settings" | "policy" | "LAN";
  op: "added" | "removed" | "changed";
  name: string;
  details: string[];
}

const show = (v: unknown) =>
  v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0) ? "(none)" : Array.isArray(v) ? v.join(", ") : String(v);

function fieldChanges<T extends object>(a: T, b: T, labels: Partial<Record<keyof T, string>>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(labels) as (keyof T)[]) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out.push(`${labels[key]}: ${show(a[key])} → ${show(b[key])}`);
  }
  return out;
}

function diffBy<T extends object>(
  kind: ConfigChange["kind"],
  before: T[],
  after: T[],
  key: (t: T) => string,
  labels: Partial<Record<keyof T, string>>,
): ConfigChange[] {
  const a = new Map(before.map((x) => [key(x), x]));
  const b = new Map(after.map((x) => [key(x), x]));
  const out: ConfigChange[] = [];
  for (const [k, x] of b) {
    const old = a.get(k);
    if (!old) {
      const set = (Object.keys(labels) as (keyof T)[]).filter((f) => show(x[f]) !== "(none)" && x[f] !== false);
      out.push({ kind, op: "added", name: k, details: set.map((f) => `${labels[f]}: ${show(x[f])}`) });
    } else {
      const details = fieldChanges(old, x, labels);
      if (details.length) out.push({ kind, op: "changed", name: k, details });
    }
  }
  for (const k of a.keys()) if (!b.has(k)) out.push({ kind, op: "removed", name: k, details: [] });
  return out;
}

/** The other LANs, their default in words ("the gateway's default" when they name none). */
const lanRows = (c: GatewayConfig) =>
  (c.settings.lans ?? []).map((l) => ({
    name: l.name,
    interface: l.interface,
    subnets: l.subnets.join(", "),
    subnets6: (l.subnets6 ?? []).join(", "),
    uses: l.defaultPolicy ? `policy ${l.defaultPolicy}` : (l.defaultIsp ?? "the gateway's default"),
  }));

/** An ISP's IPv6 in words ("2001:db8:1::/48 via fe80::1"); undefined when it has none, so that configurations without IPv6 compare as before. */
const ispRows = (c: GatewayConfig) =>
  c.isps.map(({ ipv6, ipv6Hosts, ...isp }) => ({
    ...isp,
    ipv6: ipv6
      ? `${ipv6.mode === "pd" && !ipv6.prefix ? "learned by DHCPv6-PD" : `${ipv6.prefix} via ${ipv6.gateway}`}${ipv6.translate === false ? ", not translated" : ""}`
      : ipv6Hosts === "unreachable"
        ? "off, its hosts' IPv6 refused"
        : undefined,
  }));

export function diffConfigs(before: GatewayConfig, after: GatewayConfig): ConfigChange[] {
  // absent fields read as their defaults: "firewall backend: auto → nftables", not "(none) → nftables"
  const canaryText = (c: GatewayConfig["settings"]["canary"]) =>
    `${c?.enabled ? "on" : "off"}${
      Object.keys(c?.addresses ?? {}).length
        ? ` (${Object.entries(c!.addresses!)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ")})`
        : ""
    }`;
  const withDefaults = (s: GatewayConfig["settings"]) => ({
    ...s,
    failback: s.failback ?? "move",
    firewall: s.firewall ?? "auto",
    canary: canaryText(s.canary),
    ra: s.ra?.enabled ? "on" : "off",
  });
  const settings = fieldChanges(withDefaults(before.settings), withDefaults(after.settings), {
    lanInterface: "LAN interface",
    lanSubnets: "LAN subnets",
    lanSubnets6: "LAN IPv6 subnets",
    defaultIsp: "default ISP",
    defaultPolicy: "default policy",
    failback: "failback",
    firewall: "firewall backend",
    canary: "canary",
    ra: "router advertisements",
  });
  const policies = (c: GatewayConfig) => (c.policies ?? []).map((p: PolicyConfig) => ({ ...p, rule: describePolicy(p) }));
  return [
    ...diffBy("ISP", ispRows(before), ispRows(after), (i) => i.name, {
      wanInterface: "interface",
      linkAddress: "address",
      linkPrefix: "prefix",
      gatewayAddress: "gateway",
      routingTable: "table",
      mark: "mark",
      enabled: "enabled",
      natMode: "NAT",
      ipv6: "IPv6",
    }),
    ...diffBy("policy", policies(before), policies(after), (p) => p.name, { rule: "uses", notes: "notes" }),
    ...diffBy("LAN", lanRows(before), lanRows(after), (l) => l.name, {
      interface: "interface",
      subnets: "subnets",
      subnets6: "IPv6 subnets",
      uses: "unlisted hosts use",
    }),
    ...diffBy(
      "host",
      before.hosts.map((h) => ({ ...h, policy: h.policy ?? null })),
      after.hosts.map((h) => ({ ...h, policy: h.policy ?? null })),
      (h) => h.name,
      { address: "address", isp: "ISP", policy: "policy", mac: "MAC", notes: "notes" },
    ),
    ...diffBy("NAT address", before.natAddresses, after.natAddresses, (n) => n.address, { isp: "ISP", isDefault: "default", host: "pinned to" }),
    ...(settings.length ? [{ kind: "settings" as const, op: "changed" as const, name: "gateway", details: settings }] : []),
  ];
}
