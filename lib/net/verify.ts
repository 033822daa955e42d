// verify: prove the kernel does what the config means.
// 1. observe again: the owned state must equal the desired state;
// 2. predict every host's path with one batched `ip route get ... from HOST iif LAN mark MARK`
//    (route get never passes through netfilter, so the mark the host will get is passed in);
// 3. where a probe is available (the lab), send real traffic and check the NAT address seen.
import type { GatewayConfig, IspConfig } from "@/lib/model";
import { run, type Target } from "./exec";
import { observeKernel } from "./observe";
import { parseRouteGetBatch } from "./parse/route-get";
import { planChanges, type PlanLine } from "./plan";
import { effectiveIsp } from "./render/state";
import type { KernelState } from "./types";

/** Any internet address works for a route lookup; this one is the lab's test server (benchmark range). */
export const PROBE_DESTINATION = "198.18.0.1";

export type Probe = (hostAddress: string) => Promise<{ ok: true; seenAs: string } | { ok: false; error: string }>;

export interface HostVerdict {
  name: string;
  address: string;
  isp: string | null;
  expected: { table: number; dev: string; gateway: string; nat: string };
  predicted?: { table?: number; dev?: string; gateway?: string; error?: string };
  seenAs?: string;
  ok: boolean;
  reason?: string;
}

export interface IspVerdict {
  name: string;
  ok: boolean;
  hosts: number;
  reason?: string;
}

export interface VerifyReport {
  ok: boolean;
  stateMatches: boolean;
  drift: PlanLine[];
  hosts: HostVerdict[];
  isps: IspVerdict[];
  probed: boolean;
  checkedAt: string;
}

/** The address a host's traffic must leave from on its ISP: its pinned NAT address, else the ISP's default, else (MASQUERADE) the link address. */
export function expectedNat(config: GatewayConfig, isp: IspConfig, hostAddress: string): string {
  if (isp.natMode === "MASQUERADE") return isp.linkAddress;
  const pinned = config.natAddresses.find((n) => n.isp === isp.name && n.host === hostAddress);
  const def = config.natAddresses.find((n) => n.isp === isp.name && n.isDefault);
  return (pinned ?? def)?.address ?? isp.linkAddress;
}

export async function predictPaths(target: Target, config: GatewayConfig): Promise<Map<string, HostVerdict["predicted"]>> {
  const hosts = config.hosts.filter((h) => effectiveIsp(config, h.isp));
  const out = new Map<string, HostVerdict["predicted"]>();
  if (hosts.length === 0) return out;
  const lan = config.settings.lanInterface;
  const input = hosts.map((h) => `route get ${PROBE_DESTINATION} from ${h.address} iif ${lan} mark ${effectiveIsp(config, h.isp)!.mark}`);
  const r = await run(target, "ip", ["-N", "-json", "-force", "-batch", "-"], { input: `${input.join("\n")}\n`, allowFailure: true });
  const results = parseRouteGetBatch(r.stdout, { stderr: r.stderr, input });
  hosts.forEach((h, i) => {
    const g = results[i];
    out.set(h.address, g?.error ? { error: g.error } : { table: g?.table ?? 254, dev: g?.dev, gateway: g?.gateway });
  });
  return out;
}

export async function verifyKernel(target: Target, config: GatewayConfig, desired: KernelState, probe?: Probe): Promise<VerifyReport> {
  const [observed, predictions] = await Promise.all([observeKernel(target), predictPaths(target, config)]);
  const drift = planChanges(desired, observed).lines;
  const hosts: HostVerdict[] = [];
  const probes = probe ? await Promise.all(config.hosts.map((h) => probe(h.address))) : [];
  config.hosts.forEach((h, i) => {
    const isp = effectiveIsp(config, h.isp);
    if (!isp) return;
    const expected = { table: isp.routingTable, dev: isp.wanInterface, gateway: isp.gatewayAddress, nat: expectedNat(config, isp, h.address) };
    const predicted = predictions.get(h.address);
    const v: HostVerdict = { name: h.name, address: h.address, isp: isp.name, expected, predicted, ok: true };
    if (!predicted || predicted.error) {
      v.ok = false;
      v.reason = `route lookup failed: ${predicted?.error ?? "no answer"}`;
    } else if (predicted.table !== expected.table || predicted.dev !== expected.dev || predicted.gateway !== expected.gateway) {
      v.ok = false;
      v.reason = `predicted path is table ${predicted.table} via ${predicted.gateway ?? "-"} dev ${predicted.dev}, expected table ${expected.table} via ${expected.gateway} dev ${expected.dev}`;
    }
    const p = probes[i];
    if (p) {
      if (!p.ok) {
        v.ok = false;
        v.reason = [v.reason, `no answer from the test server: ${p.error}`].filter(Boolean).join("; ");
      } else {
        v.seenAs = p.seenAs;
        if (p.seenAs !== expected.nat) {
          v.ok = false;
          v.reason = [v.reason, `left as ${p.seenAs}, expected ${expected.nat}`].filter(Boolean).join("; ");
        }
      }
    }
    hosts.push(v);
  });
  const isps: IspVerdict[] = config.isps.map((isp) => {
    const mine = hosts.filter((h) => h.isp === isp.name);
    const bad = mine.filter((h) => !h.ok);
    if (!isp.enabled) return { name: isp.name, ok: true, hosts: 0, reason: "disabled" };
    const tableDrift = drift.filter((l) => l.kind === "route" && l.text.endsWith(` table ${isp.routingTable}`));
    const reason = [bad.length ? `${bad.length} of ${mine.length} hosts failed` : "", tableDrift.length ? "its routing table differs from the desired one" : ""].filter(Boolean).join("; ");
    return { name: isp.name, ok: !reason, hosts: mine.length, reason: reason || undefined };
  });
  const stateMatches = drift.length === 0;
  return {
    ok: stateMatches && hosts.every((h) => h.ok),
    stateMatches, drift, hosts, isps, probed: Boolean(probe), checkedAt: new Date().toISOString(),
  };
}
