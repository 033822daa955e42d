// What differs between two configurations, in words an admin reads: the staged
// changes on the dashboard, and the diff between two revisions in History.
import type { GatewayConfig } from "@/lib/model";

export interface ConfigChange {
  kind: "ISP" | "host" | "NAT address" | "settings";
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

function diffBy<T extends object>(kind: ConfigChange["kind"], before: T[], after: T[], key: (t: T) => string, labels: Partial<Record<keyof T, string>>): ConfigChange[] {
  const a = new Map(before.map((x) => [key(x), x]));
  const b = new Map(after.map((x) => [key(x), x]));
  const out: ConfigChange[] = [];
  for (const [k, x] of b) {
    const old = a.get(k);
    if (!old) {
      const set = (Object.keys(labels) as (keyof T)[]).filter((f) => show(x[f]) !== "(none)" && x[f] !== false);
      out.push({ kind, op: "added", name: k, details: set.map((f) => `${labels[f]}: ${show(x[f])}`) });
    }
    else {
      const details = fieldChanges(old, x, labels);
      if (details.length) out.push({ kind, op: "changed", name: k, details });
    }
  }
  for (const k of a.keys()) if (!b.has(k)) out.push({ kind, op: "removed", name: k, details: [] });
  return out;
}

export function diffConfigs(before: GatewayConfig, after: GatewayConfig): ConfigChange[] {
  const settings = fieldChanges(before.settings, after.settings, { lanInterface: "LAN interface", lanSubnets: "LAN subnets", defaultIsp: "default ISP" });
  return [
    ...diffBy("ISP", before.isps, after.isps, (i) => i.name, {
      wanInterface: "interface", linkAddress: "address", linkPrefix: "prefix", gatewayAddress: "gateway",
      routingTable: "table", mark: "mark", enabled: "enabled", natMode: "NAT",
    }),
    ...diffBy("host", before.hosts, after.hosts, (h) => h.name, { address: "address", isp: "ISP", mac: "MAC", notes: "notes" }),
    ...diffBy("NAT address", before.natAddresses, after.natAddresses, (n) => n.address, { isp: "ISP", isDefault: "default", host: "pinned to" }),
    ...(settings.length ? [{ kind: "settings" as const, op: "changed" as const, name: "gateway", details: settings }] : []),
  ];
}
