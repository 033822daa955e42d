// Each host's IPv6, for the verification's host table (docs/ipv6.md): which way its IPv6
// leaves and how that is known. Pure: it reads the /64 path verdicts (verify6.ts, route
// lookups) and the IPv6 canary's rows (canary/prove6.ts, real packets) of the slot that stands
// for the host's target. A host with a MAC is marked like its IPv4; one without is, for IPv6,
// one of its LAN's unlisted hosts (the MAC is what matches IPv6), so it goes their way.
import type { GatewayConfig, HostConfig, LanConfig } from "@/lib/model";
import type { Canary6Proof } from "./canary/prove6";
import { lanSubnets6 } from "./render/ipv6";
import { allowedMarks, UNREACHABLE_MARK } from "./render/targets";
import { MARK_MASK } from "./types";
import type { Ipv6PathVerdict } from "./verify6";

export interface HostIpv6Verdict {
  /** for people: "by LTE", "by its address's ISP", "refused", with "(as the unlisted hosts)" for a host without a MAC */
  leaves: string;
  /** no MAC: its IPv6 goes the unlisted hosts' way */
  noMac?: boolean;
  /** "canary": its target's IPv6 canary rows were proven by real packets; else route lookups only */
  proof: "canary" | "predicted";
  provenBy?: string;
  ok: boolean;
  reason?: string;
}

/** One host's verdict; hostIpv6Judge is the form to use for many hosts (what depends on the configuration alone is worked out once). */
export function hostIpv6(
  config: GatewayConfig,
  host: HostConfig | null,
  lan: LanConfig,
  paths: Ipv6PathVerdict[],
  canary6: Canary6Proof[] | undefined,
  slotLabel: string | null,
): HostIpv6Verdict | undefined {
  return hostIpv6Judge(config, paths, canary6)(host, lan, slotLabel);
}

/**
 * A judge of hosts' IPv6 for one verification. host null: the LAN's unlisted hosts. slotLabel:
 * the canary slot that stands for its target (null: no canary). Undefined when the host's LAN
 * carries no IPv6.
 */
export function hostIpv6Judge(
  config: GatewayConfig,
  paths: Ipv6PathVerdict[],
  canary6: Canary6Proof[] | undefined,
): (host: HostConfig | null, lan: LanConfig, slotLabel: string | null) => HostIpv6Verdict | undefined {
  // the LANs with IPv6: read once per verification, not per host (it parses every /64)
  const lans6 = new Set(lanSubnets6(config).map((s) => s.lan.name));
  return (host, lan, slotLabel) => judgeHost(config, lans6, host, lan, paths, canary6, slotLabel);
}

function judgeHost(
  config: GatewayConfig,
  lans6: Set<string>,
  host: HostConfig | null,
  lan: LanConfig,
  paths: Ipv6PathVerdict[],
  canary6: Canary6Proof[] | undefined,
  slotLabel: string | null,
): HostIpv6Verdict | undefined {
  if (!lans6.has(lan.name)) return undefined;
  const noMac = Boolean(host && !host.mac);
  const marks = allowedMarks(config, noMac ? null : host, noMac || !host ? lan : null).map((m) => m & MARK_MASK);
  const mark = marks[0];
  const isp = config.isps.find((i) => (i.mark & MARK_MASK) === mark);
  // the lookups that stand for its packets: marked for its ISP (the /64 of that ISP itself is
  // asked unmarked: the same path), or with the unreachable mark
  const mine = paths.filter(
    (v) =>
      v.lan === lan.name &&
      (mark === UNREACHABLE_MARK ? v.markedFor === "(unreachable)" : isp && (v.markedFor === isp.name || (!v.markedFor && v.owner === isp.name))),
  );
  if (mine.length === 0) return undefined;
  const ends = [...new Set(mine.map((v) => v.expected?.isp ?? null))];
  const unlisted = noMac ? " (no MAC: as the unlisted hosts)" : "";
  const leaves =
    ends.length === 1 && ends[0] === null
      ? `refused${unlisted}`
      : ends.length === 1
        ? `by ${ends[0]}${unlisted}`
        : `by its address's ISP (${mine.map((v) => `${v.owner}'s /64 by ${v.expected?.isp ?? "none"}`).join(", ")})${unlisted}`;
  const reasons = mine.filter((v) => !v.ok).map((v) => v.reason ?? `${v.subnet}: wrong path`);
  const rows = slotLabel ? (canary6 ?? []).filter((r) => r.target === slotLabel && r.subnet && mine.some((v) => v.subnet === r.subnet)) : [];
  const failed = rows.filter((r) => !r.ok && !r.skipped);
  reasons.push(
    ...failed.map((r) => `the IPv6 canary for ${r.target} from ${r.owner}'s /64 ${r.upstreamDown ? "found no internet" : "failed"}: ${r.reason ?? ""}`),
  );
  const proven = rows.length > 0 && rows.every((r) => r.ok && !r.skipped);
  return {
    leaves,
    ...(noMac ? { noMac } : {}),
    proof: proven ? "canary" : "predicted",
    ...(proven ? { provenBy: slotLabel! } : {}),
    ok: reasons.length === 0,
    ...(reasons.length ? { reason: reasons.join("; ") } : {}),
  };
}
