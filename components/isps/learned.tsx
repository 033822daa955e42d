// What a dynamic ISP runs with (server component): what its WAN shows now (read-only) and the
// address in use, with when it was learned (lib/data/learned-view.ts).
import { Badge } from "@/components/ui/page";
import type { GatewayConfig } from "@/lib/model";
import { learnedView, type LearnedView } from "@/lib/data/learned-view";
import type { LearnedStatus } from "@/lib/engine/status";
import { ago } from "@/lib/health/words";

/** The learned values of every dynamic ISP (or why the WAN could not be read), and what runs since when. */
export async function learnedNow(config: GatewayConfig): Promise<LearnedView> {
  return (await learnedView(config)) ?? { now: { error: "the session ended" }, status: [] };
}

const at = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });

/** "since 7 Dec 2026, 10:32:05 (2 min ago)" for the address in use, or why none is. */
function InUse({ s }: { s: LearnedStatus | undefined }) {
  if (!s) return null;
  if (s.problem && !s.address)
    return (
      <>
        <dt className="text-slate-500 dark:text-slate-400">In use</dt>
        <dd>nothing: {s.problem}</dd>
      </>
    );
  if (!s.address)
    return (
      <>
        <dt className="text-slate-500 dark:text-slate-400">In use</dt>
        <dd>not learned by an apply or the monitor yet</dd>
      </>
    );
  return (
    <>
      <dt className="text-slate-500 dark:text-slate-400">In use</dt>
      <dd>
        <span className="font-mono">
          {s.address}/{s.prefix}
        </span>
        {s.learnedAt && (
          <>
            {" "}
            learned <time dateTime={s.learnedAt}>{at(s.learnedAt)}</time> (
            {/* eslint-disable-next-line react-hooks/purity -- a server component: one render per request, at its time */}
            {ago(Date.now() - Date.parse(s.learnedAt))})
          </>
        )}
        {s.kernelNow && <span className="block text-xs text-amber-800 dark:text-amber-300">The WAN shows {s.kernelNow} now: the next apply takes it.</span>}
      </dd>
    </>
  );
}

export function LearnedValues({ isp, view }: { isp: string; view: LearnedView }) {
  const { now } = view;
  const status = view.status.find((s) => s.isp === isp);
  if ("error" in now) return <p className="text-sm text-red-600 dark:text-red-400">The gateway could not be read: {now.error}</p>;
  const l = now.learned[isp];
  const problem = now.problems.find((p) => p.isp === isp);
  if (!l) {
    const kind = problem?.kind === "no-interface" ? "no such interface" : problem?.kind === "no-address" ? "no address yet" : "nothing learned";
    return (
      <div className="text-sm">
        <p>
          <Badge tone="amber">{kind}</Badge> {problem?.message ?? "no address yet"}
        </p>
        {status?.address && (
          <dl aria-label={`Address in use by ${isp}`} className="mt-1 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
            <InUse s={status} />
          </dl>
        )}
      </div>
    );
  }
  const from = { route: "the DHCP client's default route", peer: "the PPP peer", kept: "kept from before (the link lost its routes)" }[l.gatewayFrom];
  return (
    <dl aria-label={`Learned values of ${isp}`} className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-500 dark:text-slate-400">Address</dt>
      <dd className="font-mono">
        {l.linkAddress}/{l.linkPrefix}
      </dd>
      <dt className="text-slate-500 dark:text-slate-400">Gateway</dt>
      <dd className="font-mono">
        {l.gatewayAddress} <span className="font-sans text-xs text-slate-500">from {from}</span>
      </dd>
      <InUse s={status} />
    </dl>
  );
}

/** An ISP's IPv6 learned by DHCPv6-PD (docs/dynamic.md): the delegated prefix, the gateway and the LAN /64s the box's client shows now, or why it runs without IPv6. */
export function LearnedIpv6({ isp, view }: { isp: string; view: LearnedView }) {
  const { now } = view;
  if ("error" in now) return <p className="text-sm text-red-600 dark:text-red-400">The gateway could not be read: {now.error}</p>;
  const l = now.learned6?.[isp];
  const problem = now.problems6?.find((p) => p.isp === isp);
  if (!l) {
    const kind = { "no-gateway": "no IPv6 gateway yet", "no-prefix": "no prefix yet", "no-lan-address": "not on the LAN yet", unusable: "cannot use" }[
      problem?.kind ?? "no-prefix"
    ];
    return (
      <p className="text-sm" aria-label={`IPv6 learned by ${isp}`}>
        <Badge tone="amber">{kind}</Badge> {problem?.message ?? "no IPv6 learned: runs without IPv6"}
      </p>
    );
  }
  return (
    <dl aria-label={`IPv6 learned by ${isp}`} className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-500 dark:text-slate-400">IPv6 prefix</dt>
      <dd className="font-mono">
        {l.prefix}{" "}
        <span className="font-sans text-xs text-slate-500">
          delegated by DHCPv6-PD, from {l.prefixFrom === "route" ? "the client's source-specific default route" : "dhcpcd's lease"}
        </span>
      </dd>
      <dt className="text-slate-500 dark:text-slate-400">IPv6 gateway</dt>
      <dd className="font-mono">
        {l.gateway} <span className="font-sans text-xs text-slate-500">from the router advertisement&apos;s default route</span>
      </dd>
      <dt className="text-slate-500 dark:text-slate-400">On the LAN</dt>
      <dd className="font-mono">{l.lans.map((x) => `${x.subnet} (${x.lan})`).join(", ")}</dd>
    </dl>
  );
}
