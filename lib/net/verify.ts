// verify: prove the kernel does what the config means, with the evidence a real router has.
// 1. observe again: the owned state must equal the desired state;
// 2. predict every host's path with one batched `ip route get ... from HOST iif LAN mark MARK`
//    (route get never passes through netfilter, so the mark the host will get is passed in);
//    unlisted hosts are checked through one LAN address no host uses;
// 3. lint: foreign objects that override Switchyard (lib/net/lint.ts) fail the hosts they affect,
//    by name, since a route lookup with the intended mark cannot see them;
// 4. conntrack: every live flow of a LAN host carries the mark it got and, in its reply tuple,
//    the address it was NATed to; both must be the host's ISP and NAT address;
// 5. where a probe is available (the lab), send real traffic and check the NAT address seen.
// Nothing checked is not a pass. A host whose ISP's link is down has no path: reported as
// such (not a failure of the apply), and the host is not counted as checked.
import type { GatewayConfig, IspConfig, LanConfig } from "@/lib/model";
import { MAIN_LAN, allLanSubnets, iifOf, lanOfAddress, lansOf } from "./lans";
import { run, type Target } from "./exec";
import { intToIp, ipToInt, maskOf, parseCidr, cidrContains } from "./ipv4";
import { lintOverrides, overridesOf, type Override } from "./lint";
import { observeKernel, type ObservedState } from "./observe";
import { parseConntrack, type FlowTuple } from "./parse/conntrack";
import { conntrackListArgs, type Family } from "./family";
import { parseRouteGetBatch } from "./parse/route-get";
import { planChanges, type PlanLine } from "./plan";
export { primaryIsp } from "./render/targets";
import { UNREACHABLE_MARK, activeIspsOf as activeIsps, resolveHost } from "./render/targets";
import type { HostConfig } from "@/lib/model";
import { MARK_MASK, type KernelState } from "./types";
import { canaryEnabled, canarySlots, lanKey, policyKey, type CanarySlot } from "./canary/slots";
import { proveCanary, type CanaryTargets } from "./canary/prove";
import type { Canary6Proof } from "./canary/prove6";
import { removeCanaryPort } from "./canary/port";
import { verifyIpv6Paths, type Ipv6PathVerdict } from "./verify6";
import { hostIpv6Judge, type HostIpv6Verdict } from "./verify6-hosts";

/** Any internet address works for a route lookup; this one is the lab's test server (benchmark range). */
export const PROBE_DESTINATION = "198.18.0.1";
/** The IPv6 one: an address of the documentation prefix 3fff::/20 (RFC 9637), never an ISP's. */
export const PROBE_DESTINATION6 = "3fff:ffff::1";
/** The name a verdict for hosts not in the config carries. */
export const UNLISTED = "(unlisted hosts)";

export type Probe = (hostAddress: string) => Promise<{ ok: true; seenAs: string } | { ok: false; error: string }>;

export interface HostVerdict {
  name: string;
  address: string;
  /** the ISP it leaves through (the first of a balanced set); null when its policy makes it unreachable */
  isp: string | null;
  /** a balanced policy: every ISP its new connections may leave through now */
  isps?: string[];
  /** its policy has no ISP up and no last resort: its traffic must be refused */
  unreachable?: boolean;
  /** why it does not leave through its first choice ("failover: fiber down") */
  because?: string;
  expected: { table: number; dev: string; gateway: string; nat: string };
  /** the other ISPs of a balanced set, with their paths */
  alternatives?: { table: number; dev: string; gateway: string; nat: string }[];
  predicted?: { table?: number; dev?: string; gateway?: string; error?: string };
  seenAs?: string;
  /** live flows of this host compared with its ISP and NAT address */
  flows?: { checked: number; wrong: number; stale: number };
  /** foreign objects that override Switchyard for this host */
  overriddenBy?: string[];
  /** its ISP's link is down: no path, not checked */
  noPath?: boolean;
  /** a traffic probe ran for this host (the lab); false: route lookup and its connections only */
  probed?: boolean;
  /** how its path is known: its own traffic (the lab), its target's canary connection, or a route lookup only */
  proof?: "traffic" | "canary" | "predicted";
  /** the canary target that proved it ("ISP1", "policy office", "default") */
  provenBy?: string;
  /** it failed only because its ISP's upstream does not answer (the canary and the gateway's own probe alike) */
  upstreamDown?: boolean;
  /** its IPv6 (lib/net/verify6-hosts.ts): absent where its LAN carries no IPv6 */
  ipv6?: HostIpv6Verdict;
  ok: boolean;
  reason?: string;
}

/** What a canary connection through one target (an ISP, a policy, the default) proved. */
export interface CanaryProof {
  /** "ISP1", "policy office", "default" */
  target: string;
  kind: "isp" | "policy" | "default";
  /** the canary's reserved LAN address for this target */
  address: string;
  /** the ISPs its connection may leave through now (several: a balanced policy; none: unreachable) */
  isps: string[];
  /** the NAT addresses its connection may leave with */
  expectedNat: string[];
  /** where it connected to (a probe target beyond the ISP) */
  probeTarget?: string;
  /** the address it left with: echoed by the target, or read from the reply tuple of its own flow */
  seenAs?: string;
  seenBy?: "echo" | "conntrack";
  rttMs?: number;
  ok: boolean;
  /** no answer through the gateway's own probe either: the ISP's upstream is down, not the ruleset */
  upstreamDown?: boolean;
  reason?: string;
}

export interface CanaryReport {
  /** false: no canary on this gateway (the reason says why); hosts are then predicted only */
  available: boolean;
  reason?: string;
  proofs: CanaryProof[];
  /** IPv6: one row per (slot, LAN /64) (lib/net/canary/prove6.ts); absent without IPv6 */
  ipv6?: Canary6Proof[];
  at: string;
  durationMs?: number;
}

export interface IspVerdict {
  name: string;
  ok: boolean;
  hosts: number;
  reason?: string;
  down?: boolean;
}

export interface VerifyReport {
  ok: boolean;
  stateMatches: boolean;
  drift: PlanLine[];
  hosts: HostVerdict[];
  isps: IspVerdict[];
  probed: boolean;
  /** foreign objects that override Switchyard, with the hosts each affects */
  overrides?: Override[];
  /** hosts whose path was checked and found right */
  checked?: number;
  /** real connections from the canary on the LAN side, one per target */
  canary?: CanaryReport;
  /** every failure is an ISP whose upstream does not answer the gateway either: not the ruleset's fault (no rollback) */
  upstreamOnly?: boolean;
  /** one line saying what was proven, or why not */
  summary?: string;
  /** IPv6: each LAN /64's path, unmarked and per mark (lib/net/verify6.ts); absent without IPv6 */
  ipv6?: Ipv6PathVerdict[];
  checkedAt: string;
}

/** The address a host's traffic must leave from on its ISP: its pinned NAT address, else the ISP's default, else (MASQUERADE) the link address. */
export function expectedNat(config: GatewayConfig, isp: IspConfig, hostAddress: string): string {
  if (isp.natMode === "MASQUERADE") return isp.linkAddress;
  const pinned = config.natAddresses.find((n) => n.isp === isp.name && n.host === hostAddress);
  const def = config.natAddresses.find((n) => n.isp === isp.name && n.isDefault);
  return (pinned ?? def)?.address ?? isp.linkAddress;
}

export function expectedPath(config: GatewayConfig, isp: IspConfig, hostAddress: string): HostVerdict["expected"] {
  return { table: isp.routingTable, dev: isp.wanInterface, gateway: isp.gatewayAddress, nat: expectedNat(config, isp, hostAddress) };
}

/** Does a route lookup's answer match the path a host must take? */
export function pathMatches(p: HostVerdict["predicted"], e: HostVerdict["expected"]): boolean {
  return Boolean(p && !p.error && p.table === e.table && p.dev === e.dev && p.gateway === e.gateway);
}

/** A LAN address no listed host and no gateway uses, standing for the hosts the config does not list (of the main LAN, or of the LAN given). */
export function unlistedAddress(config: GatewayConfig, lan?: LanConfig): string | null {
  const which = lan ?? lansOf(config)[0];
  // with the canary on, its default slot is that address: its connection proves the unlisted hosts' path
  const canary = canarySlots(config).find((s) => s.kind === "default" && (s.lan ?? MAIN_LAN) === which.name);
  if (canary) return canary.address;
  const used = new Set(config.hosts.map((h) => h.address));
  for (const s of which.subnets) {
    const c = parseCidr(s)!;
    if (c.prefix > 30) continue;
    const broadcast = ((ipToInt(c.address) & maskOf(c.prefix)) | ~maskOf(c.prefix)) >>> 0;
    for (let a = broadcast - 1; a > broadcast - 64; a--) {
      const ip = intToIp(a >>> 0);
      if (!used.has(ip) && ip !== c.address) return ip;
    }
  }
  return null;
}

/** The name of the verdict for a LAN's unlisted hosts: "(unlisted hosts)" on the main LAN, "(unlisted hosts on guest)" on another. */
export const unlistedName = (lan: LanConfig) => (lan.name === MAIN_LAN ? UNLISTED : `(unlisted hosts on ${lan.name})`);

interface Subject {
  name: string;
  address: string;
  /** the interface its packets arrive on (its LAN's) */
  iif: string;
  /** it stands for a LAN's unlisted hosts: this LAN */
  unlisted?: LanConfig;
  /** the ISPs its new connections leave through now (several: a balanced policy; none: unreachable) */
  isps: IspConfig[];
  unreachable: boolean;
  because: string | null;
}

function subject(config: GatewayConfig, host: HostConfig | null, name: string, address: string, lan?: LanConfig): Subject | null {
  const r = resolveHost(config, host, lan);
  if (!r) return null;
  return {
    name,
    address,
    iif: lan?.interface ?? iifOf(config, address),
    isps: r.isps.map((i) => i.isp),
    unreachable: r.unreachable,
    because: r.because,
    ...(lan ? { unlisted: lan } : {}),
  };
}

function subjects(config: GatewayConfig): Subject[] {
  const out: Subject[] = [];
  for (const h of config.hosts) {
    const s = subject(config, h, h.name, h.address);
    if (s) out.push(s);
  }
  // each LAN's unlisted hosts, through an address of that LAN, arriving on its interface
  for (const lan of lansOf(config)) {
    const other = unlistedAddress(config, lan);
    const s = other ? subject(config, null, unlistedName(lan), other, lan) : null;
    if (s) out.push(s);
  }
  return out;
}

const marksOf = (s: Subject) => (s.unreachable ? [UNREACHABLE_MARK] : s.isps.map((i) => i.mark));
const pathKey = (address: string, mark: number) => `${address}|${mark}`;

/** One batched `ip route get` (one process) for each (address, arriving interface, mark), in order; a failed lookup carries its error. */
export async function routeLookups(
  target: Target,
  asks: { address: string; iif: string; mark: number }[],
  family: Family = 4,
): Promise<NonNullable<HostVerdict["predicted"]>[]> {
  if (asks.length === 0) return [];
  const dst = family === 6 ? PROBE_DESTINATION6 : PROBE_DESTINATION;
  const input = asks.map((a) => `route get ${dst} from ${a.address} iif ${a.iif}${family === 6 && !a.mark ? "" : ` mark ${a.mark}`}`);
  const r = await run(target, "ip", [...(family === 6 ? ["-6"] : []), "-N", "-json", "-force", "-batch", "-"], {
    input: `${input.join("\n")}\n`,
    allowFailure: true,
  });
  const results = parseRouteGetBatch(r.stdout, { stderr: r.stderr, input });
  return asks.map((_, i) => {
    const g = results[i];
    return g?.error ? { error: g.error } : { table: g?.table ?? 254, dev: g?.dev, gateway: g?.gateway };
  });
}

/** Every (host, mark it may get) looked up at once. Keys: address|mark. */
async function lookups(target: Target, config: GatewayConfig, hosts: Subject[]): Promise<Map<string, HostVerdict["predicted"]>> {
  const asks = hosts.flatMap((h) => marksOf(h).map((mark) => ({ address: h.address, iif: h.iif, mark })));
  const got = await routeLookups(target, asks);
  return new Map(asks.map((a, i) => [pathKey(a.address, a.mark), got[i]]));
}

/** The predicted path of each host through the first ISP it leaves by now (the plan preview). */
export async function predictPaths(target: Target, config: GatewayConfig): Promise<Map<string, HostVerdict["predicted"]>> {
  const hosts = subjects(config)
    .filter((s) => s.isps.length > 0)
    .map((s) => ({ ...s, isps: [s.isps[0]] }));
  const all = await lookups(target, config, hosts);
  return new Map(hosts.map((h) => [h.address, all.get(pathKey(h.address, h.isps[0].mark))]));
}

/** Flows that went out to the internet: not to the LAN, not to the gateway, not along a foreign specific route of main (a VPN's). */
function internetFlows(config: GatewayConfig, observed: ObservedState, flows: FlowTuple[]): FlowTuple[] {
  const lans = allLanSubnets(config).map((s) => parseCidr(s)!);
  const own = new Set([...config.isps.map((i) => i.linkAddress), ...config.natAddresses.map((n) => n.address), ...lans.map((l) => l.address)]);
  const specific = observed.foreign.routes.filter((r) => r.table === 254 && r.dst !== "default");
  const wans = new Set(activeIsps(config).map((i) => i.wanInterface));
  return flows.filter((f) => {
    if (own.has(f.dst) || ipToInt(f.dst) >>> 28 >= 14 || lans.some((l) => cidrContains(`${l.address}/${l.prefix}`, f.dst))) return false;
    if (!lans.some((l) => cidrContains(`${l.address}/${l.prefix}`, f.src))) return false;
    const via = specific.find((r) => cidrContains(r.dst.includes("/") ? r.dst : `${r.dst}/32`, f.dst));
    return !via || wans.has(via.dev);
  });
}

/**
 * What the kernel's flows say about one host: the address each was NATed to. A flow whose
 * connection mark is not the host's current one was made under an earlier ruleset (Switchyard
 * saves the mark to the connection before any later rule runs, and foreign connection-mark
 * writes are named by the lint): it is history, counted as stale, not evidence.
 */
export function flowEvidence(
  config: GatewayConfig,
  s: Pick<Subject, "address" | "isps">,
  flows: FlowTuple[],
): { checked: number; stale: number; wrong: string[] } {
  const byMark = new Map(s.isps.map((i) => [i.mark & MARK_MASK, i]));
  const byAddress = new Map<string, string>();
  for (const i of config.isps) byAddress.set(i.linkAddress, i.name);
  for (const n of config.natAddresses) byAddress.set(n.address, n.isp);
  const wrong: string[] = [];
  let stale = 0;
  for (const f of flows) {
    const mark = f.mark & MARK_MASK;
    const isp = byMark.get(mark);
    if (!isp) {
      stale++;
      continue;
    }
    const expectedNatAddress = expectedNat(config, isp, s.address);
    const bad: string[] = [];
    if (f.replyDst === f.src) bad.push("left un-NATed");
    else if (f.replyDst !== expectedNatAddress) bad.push(`left as ${f.replyDst}${byAddress.has(f.replyDst) ? ` (${byAddress.get(f.replyDst)})` : ""}`);
    if (bad.length) wrong.push(`${f.proto} flow to ${f.dst} with ${isp.name}'s mark 0x${mark.toString(16)} ${bad.join(", ")}; expected ${expectedNatAddress}`);
  }
  return { checked: flows.length - stale, stale, wrong: [...new Set(wrong)] };
}

export async function verifyKernel(
  target: Target,
  config: GatewayConfig,
  desired: KernelState,
  probe?: Probe,
  canaryTargets?: CanaryTargets,
): Promise<VerifyReport> {
  const all = subjects(config);
  const [observed, predictions, ct, canary, ipv6All] = await Promise.all([
    observeKernel(target),
    lookups(target, config, all),
    run(target, "conntrack", conntrackListArgs(4), { allowFailure: true }),
    // a canary turned off leaves nothing behind: its addresses must not answer on the LAN any more
    canaryTargets && canaryEnabled(config)
      ? proveCanary(target, config, canaryTargets)
      : canaryTargets
        ? removeCanaryPort(target).then(() => undefined)
        : Promise.resolve(undefined),
    verifyIpv6Paths(target, config),
  ]);
  const plan = planChanges(desired, observed);
  const drift = plan.lines;
  const down = new Set(plan.downLinks);
  // an IPv6 path through a WAN whose link is down has no route to check (as a host's IPv4 path: not counted)
  const overrides = lintOverrides(config, observed);
  // a wrong IPv6 path names the foreign rule that decided it, as a host's IPv4 verdict does
  const ipv6 = ipv6All
    .filter((v) => !v.expected || !down.has(v.expected.dev))
    .map((v) => {
      const by = v.ok ? [] : overridesOf(overrides, v.subnet.split("/")[0]).map((o) => o.object);
      return by.length ? { ...v, reason: `${v.reason} (decided by ${by.join(", ")})` } : v;
    });
  const ipv6Wrong = ipv6.filter((v) => !v.ok);
  const flows = internetFlows(config, observed, parseConntrack(ct.stdout));
  const listed = new Set(config.hosts.map((h) => h.address));
  // once per verification, not per host: both scan every host
  const slots = canary?.available ? canarySlots(config) : [];
  const hostByAddress = new Map(config.hosts.map((h) => [h.address, h]));
  const probes = probe ? await Promise.all(all.map((s) => (s.unlisted ? null : probe(s.address)))) : [];
  const judge6 = ipv6.length ? hostIpv6Judge(config, ipv6, canary?.available ? canary.ipv6 : undefined) : null;
  const hosts: HostVerdict[] = all.map((s0, i) => {
    // ISPs whose link is down have no path: a balanced host keeps the others
    const s = { ...s0, isps: s0.isps.filter((isp) => !down.has(isp.wanInterface)) };
    const first = s.isps[0] ?? s0.isps[0];
    const paths = s.isps.map((isp) => expectedPath(config, isp, s.address));
    const unreachablePath = { table: 0, dev: "", gateway: "", nat: "" };
    const expected = s.unreachable ? unreachablePath : first ? expectedPath(config, first, s.address) : unreachablePath;
    const predicted = s.unreachable
      ? predictions.get(pathKey(s.address, UNREACHABLE_MARK))
      : first
        ? predictions.get(pathKey(s.address, first.mark))
        : undefined;
    const v: HostVerdict = {
      name: s.name,
      address: s.address,
      isp: s.unreachable ? null : (first?.name ?? null),
      expected,
      predicted,
      ok: true,
      ...(s0.isps.length > 1 ? { isps: s0.isps.map((x) => x.name), alternatives: paths.slice(1) } : {}),
      ...(s.unreachable ? { unreachable: true } : {}),
      ...(s.because ? { because: s.because } : {}),
    };
    if (!s.unreachable && s.isps.length === 0) {
      const isp = s0.isps[0];
      return { ...v, ok: false, noPath: true, reason: `${isp.name} is down (link ${isp.wanInterface}): no path; its traffic is refused, not leaked` };
    }
    const reasons: string[] = [];
    const mine = overridesOf(overrides, s.address);
    if (mine.length) {
      v.overriddenBy = mine.map((o) => o.object);
      reasons.push(...mine.map((o) => `overridden by foreign ${o.object}: ${o.effect}`));
    }
    if (s.unreachable) {
      // its policy allows no ISP that is up: the lookup must refuse it
      if (predicted && !predicted.error)
        reasons.push(
          `its policy has no ISP up (${s.because}), yet a route lookup finds table ${predicted.table} via ${predicted.gateway ?? "-"} dev ${predicted.dev}`,
        );
    } else {
      s.isps.forEach((isp, n) => {
        const got = predictions.get(pathKey(s.address, isp.mark));
        if (!got || got.error) reasons.push(`route lookup${s.isps.length > 1 ? ` for ${isp.name}` : ""} failed: ${got?.error ?? "no answer"}`);
        else if (!pathMatches(got, paths[n]))
          reasons.push(
            `predicted path${s.isps.length > 1 ? ` for ${isp.name}` : ""} is table ${got.table} via ${got.gateway ?? "-"} dev ${got.dev}, expected table ${paths[n].table} via ${paths[n].gateway} dev ${paths[n].dev}`,
          );
      });
    }
    const own = s.unlisted
      ? flows.filter((f) => !listed.has(f.src) && lanOfAddress(config, f.src)?.name === s.unlisted!.name)
      : flows.filter((f) => f.src === s.address);
    const evidence = flowEvidence(config, s, own);
    v.flows = { checked: evidence.checked, wrong: evidence.wrong.length, stale: evidence.stale };
    reasons.push(...evidence.wrong.slice(0, 3));
    const slot = canary?.available
      ? canaryProofOf(config, canary, slots, s0.unlisted ? null : (hostByAddress.get(s.address) ?? null), s0.unlisted ?? lanOfAddress(config, s.address))
      : undefined;
    if (slot && !slot.ok) reasons.push(`the canary for ${slot.target} ${slot.upstreamDown ? "found no internet" : "failed"}: ${slot.reason}`);
    const p = probes[i];
    if (probe) v.probed = Boolean(p);
    if (p) {
      const nats = paths.map((x) => x.nat);
      if (s.unreachable) {
        if (p.ok) reasons.push(`its policy has no ISP up, yet it reached the test server as ${p.seenAs}`);
      } else if (!p.ok) reasons.push(`no answer from the test server: ${p.error}`);
      else {
        v.seenAs = p.seenAs;
        if (!nats.includes(p.seenAs)) reasons.push(`left as ${p.seenAs}, expected ${nats.join(" or ")}`);
      }
    }
    if (reasons.length) {
      v.ok = false;
      v.reason = reasons.join("; ");
      if (slot?.upstreamDown && reasons.length === 1) v.upstreamDown = true;
    }
    v.proof = p?.ok ? "traffic" : slot?.ok ? "canary" : "predicted";
    if (v.proof === "canary") v.provenBy = slot!.target;
    // its IPv6, judged apart (a failed IPv6 path fails the verification through the /64 verdicts, not this host's IPv4 row)
    const lan = s0.unlisted ?? lanOfAddress(config, s.address);
    const host = s0.unlisted ? null : (hostByAddress.get(s.address) ?? null);
    if (lan && judge6) {
      // a host without a MAC is one of the unlisted hosts for IPv6: their slot stands for it
      const slot6 = host && !host.mac && canary?.available ? canaryProofOf(config, canary, slots, null, lan) : slot;
      const six = judge6(host, lan, slot6?.target ?? null);
      if (six) v.ipv6 = six;
    }
    return v;
  });
  const isps: IspVerdict[] = config.isps.map((isp) => {
    const mine = hosts.filter((h) => (h.isps ?? [h.isp]).includes(isp.name));
    if (!isp.enabled) return { name: isp.name, ok: true, hosts: 0, reason: "disabled" };
    if (down.has(isp.wanInterface)) return { name: isp.name, ok: false, down: true, hosts: mine.length, reason: `link ${isp.wanInterface} is down` };
    const bad = mine.filter((h) => !h.ok);
    const tableDrift = drift.filter((l) => l.kind === "route" && l.text.endsWith(` table ${isp.routingTable}`));
    const reason = [bad.length ? `${bad.length} of ${mine.length} hosts failed` : "", tableDrift.length ? "its routing table differs from the desired one" : ""]
      .filter(Boolean)
      .join("; ");
    return { name: isp.name, ok: !reason, hosts: mine.length, reason: reason || undefined };
  });
  const stateMatches = drift.length === 0;
  const wrong = hosts.filter((h) => !h.ok && !h.noPath);
  const checked = hosts.filter((h) => h.ok).length;
  const noPath = hosts.filter((h) => h.noPath);
  const canaryFailed = canary?.available ? canary.proofs.filter((x) => !x.ok) : [];
  // IPv6 canary rows (lib/net/canary/prove6.ts) fail the verification as IPv4's do
  const canary6 = canary?.available ? (canary.ipv6 ?? []) : [];
  const canary6Failed = canary6.filter((x) => !x.ok);
  const ok = stateMatches && wrong.length === 0 && checked > 0 && canaryFailed.length === 0 && ipv6Wrong.length === 0 && canary6Failed.length === 0;
  const upstreamOnly =
    !ok && stateMatches && wrong.every((h) => h.upstreamDown) && canaryFailed.every((x) => x.upstreamDown) && canary6Failed.every((x) => x.upstreamDown);
  const how = provenHow(hosts, probe !== undefined, canary);
  const proven6 = canary6.filter((x) => x.ok && !x.skipped).length;
  const skipped6 = canary6.filter((x) => x.skipped).length;
  const c6 = canary6.length ? `, ${proven6} proven by the canary's packets${skipped6 ? ` (${skipped6} not: no IPv6 probe target)` : ""}` : "";
  const v6 = ipv6.length ? `; IPv6: ${ipv6.length} prefix path${ipv6.length === 1 ? "" : "s"} checked by route lookup${c6}` : "";
  const summary = ok
    ? `${checked} host path${checked === 1 ? "" : "s"} verified: ${how}${noPath.length ? `; no path for ${noPath.map((h) => h.name).join(", ")} (ISP down)` : ""}${v6}`
    : checked === 0 && wrong.length === 0 && stateMatches
      ? activeIsps(config).length === 0
        ? "nothing verified: no usable ISP (LAN traffic gets unreachable)"
        : "nothing verified: no host has a path"
      : [
          stateMatches ? "" : `kernel differs from the desired state (${drift.length} objects)`,
          ...wrong.map((h) => `${h.name} (${h.address}): ${h.reason}`),
          ...ipv6Wrong.map((v) => `IPv6 ${v.reason}`),
          ...canaryFailed
            .filter((x) => !wrong.some((h) => h.reason?.includes(`canary for ${x.target} `)))
            .map((x) => `canary ${x.target} (${x.address}): ${x.reason}`),
          ...canary6Failed.map((x) => `canary ${x.target} IPv6 (${x.address}, from ${x.owner}'s /64): ${x.reason}`),
        ]
          .filter(Boolean)
          .join("; ");
  return {
    ok,
    stateMatches,
    drift,
    hosts,
    isps,
    probed: Boolean(probe),
    overrides,
    checked,
    summary,
    checkedAt: new Date().toISOString(),
    ...(canary ? { canary } : {}),
    ...(upstreamOnly ? { upstreamOnly } : {}),
    ...(ipv6.length ? { ipv6 } : {}),
  };
}

/**
 * The canary proof of a host's target: its ISP's slot, its policy's, or its LAN's default
 * (the main LAN's "default", another LAN's own slot: its packets arrive on that LAN's interface).
 */
function canaryProofOf(
  config: GatewayConfig,
  canary: CanaryReport,
  slots: CanarySlot[],
  host: HostConfig | null,
  lan: LanConfig | null,
): CanaryProof | undefined {
  const isp = host?.isp && config.isps.some((i) => i.name === host.isp && i.enabled) ? host.isp : null;
  const policy = host?.policy && config.policies?.some((p) => p.name === host.policy) ? host.policy : null;
  const key = isp ?? (policy ? policyKey(policy) : lan && lan.name !== MAIN_LAN ? lanKey(lan.name) : "default");
  const slot = slots.find((x) => x.key === key);
  return slot ? canary.proofs.find((p) => p.address === slot.address) : undefined;
}

/** "by real traffic from each host" / "2 by the canary's connections, 1 predicted by route lookup only (...)" */
function provenHow(hosts: HostVerdict[], probed: boolean, canary: CanaryReport | undefined): string {
  const n = (k: HostVerdict["proof"]) => hosts.filter((h) => h.ok && h.proof === k).length;
  const parts = [
    n("traffic") ? `${n("traffic")} by real traffic from the host` : "",
    n("canary") ? `${n("canary")} by the canary's connections through their target` : "",
    n("predicted")
      ? `${n("predicted")} predicted by route lookup only${canary && !canary.available ? ` (no canary: ${canary.reason})` : !canary && !probed ? " (no canary)" : ""}`
      : "",
  ].filter(Boolean);
  return parts.join(", ");
}
