// What a dynamic ISP runs with now (server component): read from the gateway's kernel, read-only.
import { Badge } from "@/components/ui/page";
import type { GatewayConfig } from "@/lib/model";
import { learnNow, type DynamicResolution } from "@/lib/net/dynamic";
import { resolveTarget } from "@/lib/engine/target";

/** The learned values of every dynamic ISP, or why they could not be read. */
export async function learnedNow(config: GatewayConfig): Promise<DynamicResolution | { error: string }> {
  try {
    return await learnNow(config, resolveTarget().target);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export function LearnedValues({ isp, now }: { isp: string; now: DynamicResolution | { error: string } }) {
  if ("error" in now) return <p className="text-sm text-red-600 dark:text-red-400">The gateway could not be read: {now.error}</p>;
  const l = now.learned[isp];
  const problem = now.problems.find((p) => p.isp === isp)?.message;
  if (!l) return <p className="text-sm"><Badge tone="amber">nothing learned</Badge> {problem ?? "no address yet"}</p>;
  const from = { route: "the DHCP client's default route", peer: "the PPP peer", kept: "kept from before (the link lost its routes)" }[l.gatewayFrom];
  return (
    <dl aria-label={`Learned values of ${isp}`} className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-500 dark:text-slate-400">Address</dt><dd className="font-mono">{l.linkAddress}/{l.linkPrefix}</dd>
      <dt className="text-slate-500 dark:text-slate-400">Gateway</dt><dd className="font-mono">{l.gatewayAddress} <span className="font-sans text-xs text-slate-500">from {from}</span></dd>
    </dl>
  );
}
