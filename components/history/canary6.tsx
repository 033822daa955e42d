// The canary over IPv6 (docs/canary.md "IPv6"): one row per slot and LAN /64 it sent from, with
// the source its packets left with. A row without an IPv6 probe target is "not proven", never green.
import type { VerifyReport } from "@/lib/net/verify";
import { Badge, Table, td } from "@/components/ui/page";

type Row = NonNullable<NonNullable<VerifyReport["canary"]>["ipv6"]>[number];

function Result({ p }: { p: Row }) {
  if (p.skipped) return <Badge>not proven</Badge>;
  if (!p.ok) return p.upstreamDown ? <Badge tone="red">no internet</Badge> : <Badge tone="red">failed</Badge>;
  return <Badge tone="green">{p.isps.length ? "proven" : "refused"}</Badge>;
}

export function Canary6Table({ rows }: { rows: Row[] }) {
  return (
    <Table
      label="Canary over IPv6"
      caption="Canary over IPv6: real packets from each slot's address in each LAN /64 (its own MAC), and the source they left with"
      head={["Target", "From", "Via", "Probe target", "Left as", "Result"]}
    >
      {rows.map((p) => (
        <tr key={p.address} className={p.ok ? "" : "bg-red-50/60 dark:bg-red-950/30"}>
          <td className={td}>
            <div className="font-medium">{p.target}</div>
            <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{p.address}</div>
          </td>
          <td className={td}>
            <div className="font-mono">{p.subnet}</div>
            <div className="text-xs text-slate-600 dark:text-slate-400">{p.owner}&apos;s prefix</div>
          </td>
          <td className={td}>{p.isps.join(" or ") || "refused"}</td>
          <td className={td}>
            <span className="font-mono">{p.probeTarget ?? "—"}</span>
            {p.rttMs !== undefined && <span className="block text-xs text-slate-500">{p.rttMs} ms</span>}
          </td>
          <td className={td}>
            <span className="font-mono">{p.seenAs ?? "—"}</span>
            {!p.ok && p.expectedSource.length > 0 && <div className="text-xs text-red-700 dark:text-red-400">expected {p.expectedSource.join(" or ")}</div>}
          </td>
          <td className={td}>
            <Result p={p} />
            {p.reason && (p.skipped || !p.ok) && (
              <div className={`mt-1 max-w-sm text-xs ${p.skipped ? "text-slate-600 dark:text-slate-400" : "text-red-700 dark:text-red-400"}`}>{p.reason}</div>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
