// The canary's IPv6 proof (docs/canary.md "IPv6"): from each slot with a MAC of its own, from
// its address in each LAN /64, real ICMPv6 echo requests to the first IPv6 probe target of the
// ISP that /64 must leave by, forwarded by the gateway like a host's. The path it must take is
// verify6's (ipv6Asks: by the slot's ISP when it translates, else by the prefix's own ISP, or
// refused); the source it must leave with follows (the same LAN's /64 of that ISP, the host
// part kept, or itself). A row is proven only when a reply came back AND the slot's own flow
// in conntrack left with that source (the reply tuple's destination) and the slot's mark.
import type { GatewayConfig } from "@/lib/model";
import { run, type Target } from "@/lib/net/exec";
import { MAIN_LAN, lansOf } from "@/lib/net/lans";
import { parseConntrack } from "@/lib/net/parse/conntrack";
import { parsePingSummary } from "@/lib/net/parse/ping";
import { lanSubnets6, translations6 } from "@/lib/net/render/ipv6";
import { resolveHost, UNREACHABLE_MARK } from "@/lib/net/render/targets";
import { MARK_MASK } from "@/lib/net/types";
import { ipv6Asks } from "@/lib/net/verify6";
import { ensureCanaryPort6 } from "./port6";
import type { CanarySlot } from "./slots";
import { withHostPart, type SlotAddress6 } from "./slots6";

/** What one slot's packets from one LAN /64 proved. */
export interface Canary6Proof {
  /** the slot: "ISP1", "policy office", "default" */
  target: string;
  kind: CanarySlot["kind"];
  /** the slot's address in this /64, and the /64 with the ISP whose prefix it is */
  address: string;
  subnet: string;
  owner: string;
  /** the ISPs it may leave by now (none: refused) and the sources it may leave with */
  isps: string[];
  expectedSource: string[];
  probeTarget?: string;
  /** the source it left with (its flow's reply tuple) */
  seenAs?: string;
  rttMs?: number;
  ok: boolean;
  /** not proven, and not a failure: no IPv6 probe target for its ISP */
  skipped?: boolean;
  upstreamDown?: boolean;
  reason?: string;
}

const PING = ["-6", "-n", "-q", "-c", "2", "-i", "0.2", "-W", "1"];
const isV6 = (a: string) => a.includes(":");

interface Path {
  isp: string;
  mark: number;
  source: string;
}

interface Plan6 {
  slot: CanarySlot;
  a: SlotAddress6;
  /** empty: it must be refused */
  paths: Path[];
  /** the slot's marks (what its flow must carry) */
  marks: number[];
  probeTarget?: string;
  replied: number;
  rttMs?: number;
}

/** Each (slot, /64) row's expected paths and probe target, from the configuration alone. Pure. */
export function plan6(config: GatewayConfig, slots: CanarySlot[], probeTargets: Record<string, string[]>): Plan6[] {
  const asks = ipv6Asks(config).map((x) => x.verdict);
  const moves = translations6(config);
  const lans = lansOf(config);
  const out: Plan6[] = [];
  for (const slot of slots.filter((s) => s.mac && s.addresses6?.length)) {
    const r = resolveHost(config, slot.host, lans.find((l) => l.name === (slot.lan ?? MAIN_LAN)) ?? null);
    const isps = r && !r.unreachable ? r.isps.map((i) => i.isp) : [];
    const marks = r?.unreachable ? [UNREACHABLE_MARK] : isps.map((i) => i.mark & MARK_MASK);
    for (const a of slot.addresses6!) {
      const paths = isps.flatMap((x): Path[] => {
        const v = asks.find((k) => k.subnet === a.network && (x.name === a.owner ? !k.markedFor : k.markedFor === x.name));
        const leave = v?.expected?.isp;
        if (!leave) return [];
        const t = moves.find((m) => m.isp.name === leave && m.from === a.network);
        return [{ isp: leave, mark: x.mark & MARK_MASK, source: leave !== a.owner && t ? withHostPart(t.to, a.address) : a.address }];
      });
      // where it must be refused it still pings (its ISPs' target, else any): it must get no answer
      const probeTarget = [...paths.map((p) => p.isp), ...isps.map((i) => i.name), ...Object.keys(probeTargets)]
        .map((isp) => probeTargets[isp]?.find(isV6))
        .find(Boolean);
      out.push({ slot, a, paths, marks, probeTarget, replied: 0 });
    }
  }
  return out;
}

/** Prove the slots' IPv6 (none without IPv6: nothing runs). `inside`: the canary's namespace. */
export async function proveCanary6(target: Target, inside: Target, config: GatewayConfig, slots: CanarySlot[], probeTargets: Record<string, string[]>) {
  const plans = plan6(config, slots, probeTargets);
  if (plans.length === 0) return [];
  await ensureCanaryPort6(inside, config, slots);
  // earlier canary flows would answer for this run: gone first
  await Promise.all(plans.map((p) => run(target, "conntrack", ["-D", "-f", "ipv6", "-p", "icmpv6", "-s", p.a.address], { allowFailure: true })));
  await Promise.all(
    plans
      .filter((p) => p.probeTarget)
      .map(async (p) => {
        const r = await run(inside, "ping", [...PING, "-I", p.a.address, p.probeTarget!], { allowFailure: true, timeoutMs: 5000 });
        const s = parsePingSummary(r.stdout);
        p.replied = s.received;
        p.rttMs = s.rttAvgMs;
      }),
  );
  const ct = await run(target, "conntrack", ["-L", "-f", "ipv6", "-p", "icmpv6"], { allowFailure: true });
  const flows = parseConntrack(ct.stdout);
  return Promise.all(plans.map((p) => judge6(target, config, p, flows)));
}

async function judge6(target: Target, config: GatewayConfig, p: Plan6, flows: ReturnType<typeof parseConntrack>): Promise<Canary6Proof> {
  const expectedSource = [...new Set(p.paths.map((x) => x.source))];
  const base = {
    target: p.slot.label,
    kind: p.slot.kind,
    address: p.a.address,
    subnet: p.a.network,
    owner: p.a.owner,
    isps: [...new Set(p.paths.map((x) => x.isp))],
    expectedSource,
    probeTarget: p.probeTarget,
  };
  if (!p.probeTarget) return { ...base, ok: true, skipped: true, reason: "no IPv6 probe target (add one to its ISP's health checks)" };
  const flow = flows.find((f) => f.src === p.a.address && f.dst === p.probeTarget);
  const seenAs = flow?.replyDst;
  const seen = seenAs ? { seenAs } : {};
  if (p.paths.length === 0)
    return p.replied
      ? {
          ...base,
          ...seen,
          ok: false,
          reason: `must be refused (no ISP takes ${p.a.network} for it now), yet ${p.probeTarget} answered${seenAs ? ` it as ${seenAs}` : ""}`,
        }
      : { ...base, ok: true, reason: "refused, as it must be" };
  const wrongSource = seenAs && !expectedSource.includes(seenAs) ? `left as ${seenAs}, expected ${expectedSource.join(" or ")}` : "";
  if (p.replied > 0) {
    if (!flow) return { ...base, ok: false, reason: `${p.probeTarget} answered, but the canary's flow is not in conntrack` };
    if (wrongSource) return { ...base, ...seen, rttMs: p.rttMs, ok: false, reason: wrongSource };
    const mark = flow.mark & MARK_MASK;
    if (!p.marks.includes(mark))
      return {
        ...base,
        ...seen,
        rttMs: p.rttMs,
        ok: false,
        reason: `left as ${seenAs} but with mark 0x${mark.toString(16)}, not 0x${p.marks.map((m) => m.toString(16)).join(" or 0x")}`,
      };
    return { ...base, ...seen, rttMs: p.rttMs, ok: true };
  }
  if (wrongSource) return { ...base, ...seen, ok: false, reason: `${wrongSource}: no answer from ${p.probeTarget}` };
  // no answer: the path through the gateway, or the ISP's upstream? The gateway's own probe from its address in that ISP's /64
  const isp = p.paths[0].isp;
  const own = lanSubnets6(config).find((s) => s.isp?.name === isp && s.lan.name === (p.slot.lan ?? MAIN_LAN));
  const probe = own ? await run(target, "ping", [...PING, "-I", own.address, p.probeTarget], { allowFailure: true, timeoutMs: 5000 }) : null;
  const ownAnswers = probe ? parsePingSummary(probe.stdout).received > 0 : true;
  if (!ownAnswers)
    return {
      ...base,
      ...seen,
      ok: false,
      upstreamDown: true,
      reason: `no answer from ${p.probeTarget} through ${isp}, from the gateway itself either: ${isp}'s upstream (or the target) is down`,
    };
  return {
    ...base,
    ...seen,
    ok: false,
    reason: `no answer from ${p.probeTarget}${seenAs ? ` (it left as ${seenAs})` : ""}, although the gateway's own probe through ${isp} answers: the forwarded path drops it (a foreign rule, NAT or firewall)`,
  };
}
