// What an apply would do to the router advertisements, for `switchyard plan` (docs/ipv6.md). Pure:
// the staged (running) configuration, our radvd as it is now, the foreign RA daemons found.
import type { GatewayConfig } from "@/lib/model";
import type { ForeignRa } from "./foreign";
import { raClashes } from "./foreign";
import { raInterfaces, renderRadvdConf } from "./render";

export interface RaNow {
  conf: string | null;
  running: boolean;
}

const words = (f: ForeignRa) => `${f.daemon} (pid ${f.pid}) sends router advertisements on ${f.interfaces?.join(", ") ?? "its interfaces"}`;

/** One line each: what changes (nothing: no line), what would be refused, what Switchyard cannot control. */
export function raPlanNotes(config: GatewayConfig, now: RaNow, foreign: ForeignRa[]): string[] {
  const conf = renderRadvdConf(config);
  if (conf === null)
    return [
      ...(now.running ? ["router advertisements: Switchyard's radvd would stop"] : []),
      ...foreign.map((f) => `${words(f)}: Switchyard does not control it, a down ISP's prefix is not deprecated`),
    ];
  const clashes = raClashes(
    foreign,
    raInterfaces(config).map((i) => i.interface),
  );
  if (clashes.length) return clashes.map((f) => `router advertisements refused: ${words(f)} (the apply fails at its ra step)`);
  const deprecated = raInterfaces(config).flatMap((i) => i.prefixes.filter((p) => p.deprecated).map((p) => `${p.network} deprecated (${p.deprecated})`));
  const what = deprecated.length ? `: ${deprecated.join(", ")}` : ": every /64 preferred";
  if (!now.running) return [`router advertisements: Switchyard's radvd would start${what}`];
  if (now.conf !== conf) return [`router advertisements: Switchyard's radvd would reload${what}`];
  return [];
}
