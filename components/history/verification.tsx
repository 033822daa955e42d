// A verification report: per host (path predicted by the kernel, the address the
// lab's test server saw, verdict) and per ISP.
import type { HostVerdict, VerifyReport } from "@/lib/net/verify";
import { Badge, Table, td } from "@/components/ui/page";
import { Canary6Table } from "./canary6";

export const pathText = (p: { table?: number; dev?: string; gateway?: string } | undefined) =>
  p ? [p.table !== undefined ? `table ${p.table}` : "", p.gateway ? `via ${p.gateway}` : "", p.dev ? `dev ${p.dev}` : ""].filter(Boolean).join(" ") : "—";

function PredictedCell({ h }: { h: HostVerdict }) {
  if (!h.predicted) return <>—</>;
  if (h.predicted.error) return <span className="text-red-700 dark:text-red-400">{h.predicted.error}</span>;
  const same = h.predicted.table === h.expected.table && h.predicted.dev === h.expected.dev && h.predicted.gateway === h.expected.gateway;
  return (
    <>
      <span className="font-mono">{pathText(h.predicted)}</span>
      {!same && <div className="text-xs text-red-700 dark:text-red-400">expected {pathText(h.expected)}</div>}
    </>
  );
}

function SeenCell({ h, probed }: { h: HostVerdict; probed: boolean }) {
  // h.probed is absent in revisions older than the per-host flag
  if (!probed || h.probed === false)
    return (
      <span className="text-slate-500" title="checked by route lookup and its open connections">
        not probed
      </span>
    );
  if (!h.seenAs) return <span className="text-red-700 dark:text-red-400">no answer</span>;
  return (
    <>
      <span className="font-mono">{h.seenAs}</span>
      {h.seenAs !== h.expected.nat && <div className="text-xs text-red-700 dark:text-red-400">expected {h.expected.nat}</div>}
    </>
  );
}

/** A host's IPv6 verdict: which way it leaves, and verified (by the canary), predicted only, or failed. */
function Ipv6Cell({ v }: { v: NonNullable<HostVerdict["ipv6"]> }) {
  return (
    <>
      <div>{v.leaves}</div>
      <div className="mt-1">
        {!v.ok ? <Badge tone="red">failed</Badge> : v.proof === "canary" ? <Badge tone="green">verified</Badge> : <Badge tone="amber">predicted only</Badge>}
      </div>
      {v.ok && (
        <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {v.proof === "canary" ? `by the IPv6 canary through ${v.provenBy}` : "by route lookup: no packet took this path"}
        </div>
      )}
      {v.reason && <div className="mt-1 max-w-xs text-xs text-red-700 dark:text-red-400">{v.reason}</div>}
    </>
  );
}

export function HostVerdicts({ report }: { report: VerifyReport }) {
  const six = report.hosts.some((h) => h.ipv6);
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table aria-label="Hosts verified" className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase dark:bg-slate-800/50 dark:text-slate-400">
          <tr>
            {["Host", "ISP", "Predicted path", "Test server saw", "Result", ...(six ? ["IPv6"] : [])].map((h) => (
              <th key={h} scope="col" className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {report.hosts.map((h) => (
            <tr key={h.address} className={h.ok ? "" : "bg-red-50/60 dark:bg-red-950/30"}>
              <td className={td}>
                <div className="font-medium">{h.name}</div>
                <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{h.address}</div>
              </td>
              <td className={td}>
                {h.unreachable ? "unreachable" : h.isps ? h.isps.join(" or ") : (h.isp ?? "—")}
                {h.because ? <span className="block text-xs text-slate-500">{h.because}</span> : null}
              </td>
              <td className={td}>
                <PredictedCell h={h} />
              </td>
              <td className={td}>
                <SeenCell h={h} probed={report.probed} />
              </td>
              <td className={td}>
                {!h.ok ? (
                  <Badge tone="red">failed</Badge>
                ) : h.proof === "predicted" ? (
                  <Badge tone="amber">predicted only</Badge>
                ) : (
                  <Badge tone="green">verified</Badge>
                )}
                {h.ok && <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">{proofText(h)}</div>}
                {h.reason && <div className="mt-1 max-w-xs text-xs text-red-700 dark:text-red-400">{h.reason}</div>}
              </td>
              {six && <td className={td}>{h.ipv6 ? <Ipv6Cell v={h.ipv6} /> : <span className="text-slate-500">—</span>}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How a host's path is known, in words (revisions older than the canary have no `proof`). */
export function proofText(h: HostVerdict): string {
  if (h.proof === "traffic" || (!h.proof && h.seenAs)) return "by its own traffic";
  if (h.proof === "canary") return `by the canary through ${h.provenBy}`;
  return "by route lookup: no packet took this path";
}

/** The canary's connections, one per target. */
export function CanaryTable({ canary }: { canary: NonNullable<VerifyReport["canary"]> }) {
  if (!canary.available)
    return <p className="text-sm text-amber-800 dark:text-amber-300">No canary on this gateway: {canary.reason}. Hosts are predicted by route lookup only.</p>;
  return (
    <Table
      label="Canary proofs"
      caption={`Canary: real packets through the gateway from a reserved LAN address per target${canary.durationMs !== undefined ? ` (${canary.durationMs} ms)` : ""}`}
      head={["Target", "Via", "Probe target", "Left as", "Result"]}
    >
      {canary.proofs.map((p) => (
        <tr key={p.address} className={p.ok ? "" : "bg-red-50/60 dark:bg-red-950/30"}>
          <td className={td}>
            <div className="font-medium">{p.target}</div>
            <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{p.address}</div>
          </td>
          <td className={td}>{p.isps.join(" or ") || "unreachable"}</td>
          <td className={td}>
            <span className="font-mono">{p.probeTarget ?? "—"}</span>
            {p.rttMs !== undefined && <span className="block text-xs text-slate-500">{p.rttMs} ms</span>}
          </td>
          <td className={td}>
            <span className="font-mono">{p.seenAs ?? "—"}</span>
          </td>
          <td className={td}>
            {p.ok ? <Badge tone="green">proven</Badge> : p.upstreamDown ? <Badge tone="red">no internet</Badge> : <Badge tone="red">failed</Badge>}
            {p.reason && !p.ok && <div className="mt-1 max-w-sm text-xs text-red-700 dark:text-red-400">{p.reason}</div>}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** IPv6: each LAN /64's path, unmarked and per mark, asked of the kernel by route lookup (no packet: said so). */
export function Ipv6Paths({ paths }: { paths: NonNullable<VerifyReport["ipv6"]> }) {
  return (
    <Table
      label="IPv6 paths"
      caption="IPv6: where each LAN prefix leaves, for hosts not placed and for each ISP a host may be placed on (kernel route lookups, no packet)"
      head={["LAN prefix", "Placed on", "Must leave by", "Kernel says", "Result"]}
    >
      {paths.map((p) => (
        <tr key={`${p.subnet}|${p.markedFor ?? ""}`} className={p.ok ? "" : "bg-red-50/60 dark:bg-red-950/30"}>
          <td className={td}>
            <div className="font-mono">{p.subnet}</div>
            <div className="text-xs text-slate-600 dark:text-slate-400">
              {p.owner}&apos;s, on {p.lan}
            </div>
          </td>
          <td className={td}>{p.markedFor ?? "not placed"}</td>
          <td className={td}>{p.expected ? `${p.expected.isp} (${p.expected.dev})` : "refused"}</td>
          <td className={td}>
            <span className="font-mono">{p.predicted?.error ?? (p.predicted ? `table ${p.predicted.table} dev ${p.predicted.dev}` : "—")}</span>
          </td>
          <td className={td}>
            {p.ok ? <Badge tone="green">ok</Badge> : <Badge tone="red">failed</Badge>}
            {p.reason && !p.ok && <div className="mt-1 max-w-sm text-xs text-red-700 dark:text-red-400">{p.reason}</div>}
          </td>
        </tr>
      ))}
    </Table>
  );
}

export function IspVerdicts({ report }: { report: VerifyReport }) {
  return (
    <ul aria-label="ISPs verified" className="flex flex-wrap gap-2 text-sm">
      {report.isps.map((i) => (
        <li
          key={i.name}
          className={`rounded-md border px-3 py-2 ${i.ok ? "border-emerald-200 dark:border-emerald-900" : "border-red-300 dark:border-red-800"}`}
        >
          <span className="font-medium">{i.name}</span>{" "}
          {i.reason === "disabled" ? <Badge>disabled</Badge> : i.ok ? <Badge tone="green">ok</Badge> : <Badge tone="red">failed</Badge>}
          <span className="ml-1 text-xs text-slate-600 dark:text-slate-400">
            {i.hosts} {i.hosts === 1 ? "host" : "hosts"}
          </span>
          {i.reason && i.reason !== "disabled" && <div className="text-xs text-red-700 dark:text-red-400">{i.reason}</div>}
        </li>
      ))}
    </ul>
  );
}

/** The kernel-state sentence, worded for how the apply ended (a match inside a failure is not good news on its own). */
function stateSentence(report: VerifyReport, outcome: "ok" | "failed" | "rolled-back"): string {
  if (!report.stateMatches)
    return `The kernel differed from the desired state in ${report.drift.length} objects${outcome === "rolled-back" ? " before the rollback" : ""}.`;
  if (outcome === "ok") return "The kernel matches the desired state.";
  if (outcome === "rolled-back")
    return "Switchyard's rules, routes and chains had been installed exactly as planned, yet the checks below failed, so the gateway was rolled back.";
  return "Switchyard's rules, routes and chains are installed exactly as planned, yet the checks below failed.";
}

export function Verification({ report, outcome }: { report: VerifyReport; outcome?: "ok" | "failed" | "rolled-back" }) {
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {report.probed
          ? `Each host's path was predicted by a kernel route lookup, then proven with a real connection to the lab's test server${report.canary?.available ? " (a host without a namespace of its own, by the canary)" : ""}.`
          : report.canary?.available
            ? "Each host's path was predicted by a kernel route lookup, and its target proven by the canary's real packets."
            : "Each host's path was predicted by a kernel route lookup only: no packet proved it."}{" "}
        {stateSentence(report, outcome ?? (report.ok ? "ok" : "failed"))}
      </p>
      <HostVerdicts report={report} />
      {report.canary && <CanaryTable canary={report.canary} />}
      {report.canary?.available && report.canary.ipv6 && <Canary6Table rows={report.canary.ipv6} />}
      {report.ipv6 && <Ipv6Paths paths={report.ipv6} />}
      <IspVerdicts report={report} />
    </div>
  );
}
