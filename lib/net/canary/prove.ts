// The canary's proof: from each slot's address, real ICMP echo requests to the probe targets
// beyond the ISP its target uses now, forwarded by the gateway like a host's packets. A slot
// is proven only when a reply came back AND the canary's own flow in conntrack left with one
// of the NAT addresses its target may use (the reply tuple's destination) and carries that
// ISP's mark. No reply is a failure with a reason: when the gateway's own probe through the
// same ISP answers, the forward path dropped it (the reverse-path counter says whether that
// check did); when it does not either, the ISP's upstream is down, not the ruleset.
import type { GatewayConfig } from "@/lib/model";
import { netns, run, type Target } from "@/lib/net/exec";
import { parseConntrack } from "@/lib/net/parse/conntrack";
import { parseNstatCounter } from "@/lib/net/parse/nstat";
import { parsePingSummary } from "@/lib/net/parse/ping";
import { resolveHost } from "@/lib/net/render/targets";
import { lansOf } from "@/lib/net/lans";
import { MARK_MASK } from "@/lib/net/types";
import { expectedNat, type CanaryProof, type CanaryReport } from "@/lib/net/verify";
import { ensureCanaryPort } from "./port";
import { proveCanary6 } from "./prove6";
import { canarySlots, type CanarySlot } from "./slots";

/** Probe targets per ISP name (its health targets). */
export type CanaryTargets = Record<string, string[]>;

// two echo requests 200 ms apart: one lost packet is not a failure, and a proof takes ~0.2 s
const PING = ["-n", "-q", "-c", "2", "-i", "0.2", "-W", "1"];

async function rpDrops(target: Target): Promise<number | null> {
  const r = await run(target, "nstat", ["-a", "-s", "-z", "TcpExtIPReversePathFilter"], { allowFailure: true });
  return parseNstatCounter(r.stdout, "TcpExtIPReversePathFilter");
}

interface Attempt {
  slot: CanarySlot;
  isps: { name: string; mark: number; linkAddress: string; nat: string }[];
  unreachable: boolean;
  probeTarget?: string;
  replied: number;
  rttMs?: number;
}

/** Prove every slot of the config's canary; the report says why when there is no canary. */
export async function proveCanary(target: Target, config: GatewayConfig, probeTargets: CanaryTargets): Promise<CanaryReport> {
  const started = performance.now();
  const at = new Date().toISOString();
  const slots = canarySlots(config);
  const done = (r: Omit<CanaryReport, "at" | "durationMs">): CanaryReport => ({ ...r, at, durationMs: Math.round(performance.now() - started) });
  if (slots.length === 0)
    return done({
      available: false,
      reason: config.settings.canary?.enabled ? "no room for the canary's addresses in the LAN subnet" : "the canary is off (Settings)",
      proofs: [],
    });
  const port = await ensureCanaryPort(target, config, slots);
  if (!port.available) return done({ available: false, reason: port.reason, proofs: [] });
  const inside = netns(port.ns);
  // IPv6 (slots with a MAC of their own): beside the IPv4 proof, its own flows; nothing runs without IPv6
  const six = proveCanary6(target, inside, config, port.slots, probeTargets);

  const attempts: Attempt[] = port.slots.map((slot) => {
    const r = resolveHost(config, slot.host, slot.lan ? lansOf(config).find((l) => l.name === slot.lan) : null);
    const isps = (r?.isps ?? []).map(({ isp }) => ({
      name: isp.name,
      mark: isp.mark,
      linkAddress: isp.linkAddress,
      nat: expectedNat(config, isp, slot.address),
    }));
    const probeTarget = isps.map((i) => probeTargets[i.name]?.[0]).find(Boolean);
    return { slot, isps, unreachable: r?.unreachable ?? true, probeTarget, replied: 0 };
  });
  // earlier canary flows would answer for this run: gone first; the drop counter before
  const [dropsBefore] = await Promise.all([
    rpDrops(target),
    ...attempts.map((a) => run(target, "conntrack", ["-D", "-p", "icmp", "-s", a.slot.address], { allowFailure: true })),
  ]);
  await Promise.all(
    attempts.map(async (a) => {
      // an unreachable policy's slot still pings (the first ISP's target): it must get no answer
      const to = a.probeTarget ?? Object.values(probeTargets).flat()[0];
      if (!to) return;
      a.probeTarget = to;
      const r = await run(inside, "ping", [...PING, "-I", a.slot.address, to], { allowFailure: true, timeoutMs: 5000 });
      const summary = parsePingSummary(r.stdout);
      a.replied = summary.received;
      a.rttMs = summary.rttAvgMs;
    }),
  );
  const [ct, dropsAfter] = await Promise.all([run(target, "conntrack", ["-L", "-p", "icmp"], { allowFailure: true }), rpDrops(target)]);
  const flows = parseConntrack(ct.stdout);
  const rpDropped = dropsBefore !== null && dropsAfter !== null ? dropsAfter - dropsBefore : null;

  const proofs = await Promise.all(
    attempts.map(async (a): Promise<CanaryProof> => {
      const base = {
        target: a.slot.label,
        kind: a.slot.kind,
        address: a.slot.address,
        isps: a.isps.map((i) => i.name),
        expectedNat: a.isps.map((i) => i.nat),
        probeTarget: a.probeTarget,
      };
      if (!a.probeTarget) return { ...base, ok: false, reason: "no probe target for its ISP (set one in the ISP's health checks)" };
      const flow = flows.find((f) => f.src === a.slot.address && f.dst === a.probeTarget);
      const seen = flow && flow.replyDst !== flow.src ? flow.replyDst : undefined;
      if (a.unreachable) {
        return a.replied
          ? { ...base, ok: false, seenAs: seen, reason: `its policy has no ISP up, yet ${a.probeTarget} answered the canary${seen ? ` as ${seen}` : ""}` }
          : { ...base, ok: true, reason: "refused, as its policy has no ISP up" };
      }
      if (a.replied > 0) {
        const isp = a.isps.find((i) => i.nat === seen);
        if (!flow) return { ...base, ok: false, reason: `${a.probeTarget} answered, but the canary's flow is not in conntrack` };
        if (!seen) return { ...base, ok: false, reason: `left un-NATed as ${a.slot.address}` };
        if (!isp)
          return {
            ...base,
            ok: false,
            seenAs: seen,
            seenBy: "conntrack",
            rttMs: a.rttMs,
            reason: `left as ${seen}, expected ${base.expectedNat.join(" or ")}`,
          };
        if ((flow.mark & MARK_MASK) !== isp.mark)
          return {
            ...base,
            ok: false,
            seenAs: seen,
            seenBy: "conntrack",
            rttMs: a.rttMs,
            reason: `left as ${seen} but with mark 0x${(flow.mark & MARK_MASK).toString(16)}, not ${isp.name}'s 0x${isp.mark.toString(16)}`,
          };
        return { ...base, ok: true, seenAs: seen, seenBy: "conntrack", rttMs: a.rttMs };
      }
      // no answer: is it the path through the gateway, or the ISP's upstream?
      const first = a.isps[0];
      const own = await run(target, "ping", [...PING, "-I", first.linkAddress, a.probeTarget], { allowFailure: true, timeoutMs: 5000 });
      const sent = seen ? ` (it left as ${seen})` : flow ? " (un-NATed)" : "";
      if (parsePingSummary(own.stdout).received === 0) {
        return {
          ...base,
          ok: false,
          upstreamDown: true,
          reason: `no answer from ${a.probeTarget} through ${first.name}, from the gateway itself either: ${first.name}'s upstream (or the target) is down`,
        };
      }
      const rp = rpDropped
        ? `; the reverse-path filter dropped ${rpDropped} packet${rpDropped === 1 ? "" : "s"} meanwhile (rp_filter with src_valid_mark=0?)`
        : "";
      return {
        ...base,
        ok: false,
        reason: `no answer from ${a.probeTarget}${sent}, although the gateway's own probe through ${first.name} answers: the forwarded path drops it (a foreign rule, NAT or firewall, or the reverse-path check)${rp}`,
      };
    }),
  );
  for (const { slot, reason } of port.refused)
    proofs.push({ target: slot.label, kind: slot.kind, address: slot.address, isps: [], expectedNat: [], ok: false, reason });
  const ipv6 = await six;
  return done({ available: true, proofs, ...(ipv6.length ? { ipv6 } : {}) });
}
