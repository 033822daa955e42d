// Router advertisements (docs/ipv6.md "Router advertisements"): the radvd.conf Switchyard's own
// radvd instance runs with. Pure: (configuration, health) -> text, same bytes for the same input.
// One `interface` block per LAN that has /64s, one `prefix` block per /64 (one per ISP). A /64
// whose ISP is down (`config.health.down`, the monitor's effective configuration) or not active
// is advertised with a preferred lifetime of 0: deprecated, hosts stop choosing its address for
// new connections, and the address stays valid for those already open. Back to the normal
// lifetime when the ISP is up again.
import type { GatewayConfig } from "@/lib/model";
import { lansOf } from "@/lib/net/lans";
import { lanSubnets6 } from "@/lib/net/render/ipv6";

/**
 * Intervals: an unsolicited RA at least every 10 s (radvd's floor for MinRtrAdvInterval is 3 s
 * and it must stay under 0.75 * MaxRtrAdvInterval), so a host learns of a deprecation within 10 s
 * at worst, well inside the monitor's detection time; radvd also sends one at once when it starts
 * and when it reloads on SIGHUP, so the usual delay is a second or less.
 */
export const RA_TIMING = { minInterval: 3, maxInterval: 10, routerLifetime: 600 } as const;
/** radvd's defaults (RFC 4861's): an address is preferred 4 hours and valid 1 day past the last RA */
export const RA_LIFETIMES = { preferred: 14400, valid: 86400 } as const;

export interface RaPrefix {
  network: string;
  isp: string | null;
  /** null: advertised as usual; else why it is deprecated ("Fiber is down") */
  deprecated: string | null;
}

export interface RaInterface {
  lan: string;
  interface: string;
  prefixes: RaPrefix[];
}

export const raEnabled = (config: GatewayConfig): boolean => config.settings.ra?.enabled === true;

/** What Switchyard advertises on each LAN (empty when RA is off or no LAN has a /64). */
export function raInterfaces(config: GatewayConfig): RaInterface[] {
  if (!raEnabled(config)) return [];
  const down = new Set(config.health?.down ?? []);
  const subnets = lanSubnets6(config);
  return lansOf(config)
    .map((lan) => ({
      lan: lan.name,
      interface: lan.interface,
      prefixes: subnets
        .filter((s) => s.lan.name === lan.name)
        .map((s) => ({
          network: s.network,
          isp: s.isp?.name ?? null,
          deprecated: !s.isp ? "its ISP is not active" : down.has(s.isp.name) ? `${s.isp.name} is down` : null,
        })),
    }))
    .filter((i) => i.prefixes.length > 0);
}

// defence in depth: validation already refused anything but names and prefixes
const token = (t: string) => {
  if (!/^[A-Za-z0-9_.:/@-]+$/.test(t)) throw new Error(`refusing radvd.conf token ${JSON.stringify(t)}`);
  return t;
};

/** The radvd.conf, or null when there is nothing to advertise (RA off, or no LAN /64). */
export function renderRadvdConf(config: GatewayConfig): string | null {
  const ifaces = raInterfaces(config);
  if (!ifaces.length) return null;
  const out = ["# Switchyard's router advertisements (lib/net/ra/render.ts): written by Switchyard on every apply, do not edit"];
  for (const i of ifaces) {
    out.push(
      `interface ${token(i.interface)} {`,
      "\tAdvSendAdvert on;",
      `\tMinRtrAdvInterval ${RA_TIMING.minInterval};`,
      `\tMaxRtrAdvInterval ${RA_TIMING.maxInterval};`,
      `\tAdvDefaultLifetime ${RA_TIMING.routerLifetime};`,
    );
    for (const p of i.prefixes) {
      out.push(
        `\tprefix ${token(p.network)} {`,
        `\t\t# ${p.isp ? token(p.isp) : "no active ISP"}${p.deprecated ? ": deprecated, " + p.deprecated.replace(/[^\w .-]/g, "") : ""}`,
        "\t\tAdvOnLink on;",
        "\t\tAdvAutonomous on;",
        `\t\tAdvPreferredLifetime ${p.deprecated ? 0 : RA_LIFETIMES.preferred};`,
        `\t\tAdvValidLifetime ${RA_LIFETIMES.valid};`,
        "\t};",
      );
    }
    out.push("};");
  }
  return `${out.join("\n")}\n`;
}
