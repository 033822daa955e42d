// Every apply, newest first: who, when, from where, on which gateway, and whether it verified.
import Link from "next/link";
import { ResultBadge } from "@/components/history/result-badge";
import { HealthTimeline } from "@/components/health/timeline";
import { PageHeader, Table, td } from "@/components/ui/page";
import { healthTimeline } from "@/lib/health/view";
import { listRevisions } from "@/lib/engine/service";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "History" };

const count = (json: string) => {
  try {
    return (JSON.parse(json) as unknown[]).length;
  } catch {
    return 0;
  }
};
const secs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export default async function HistoryPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const [revisions, timeline] = await Promise.all([listRevisions(200), healthTimeline(30)]);
  return (
    <>
      <PageHeader title="History" description="Every apply is a revision: the configuration, the commands that ran, the verification, and the ruleset. Tick two to compare them." />
      {revisions.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Nothing has been applied yet. <Link href="/" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">Apply from the dashboard</Link>.
        </p>
      ) : (
        <form action="/history/compare" method="get" className="space-y-3">
          <div className="flex flex-wrap items-center gap-3">
            <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:hover:bg-slate-700">
              Compare selected
            </button>
            <span className="text-sm text-slate-600 dark:text-slate-400">Tick two revisions.</span>
          </div>
          <Table head={["", "Revision", "When", "Who", "Source", "Target", "Result", "Changes", "Duration"]}>
            {revisions.map((r) => (
              <tr key={r.id}>
                <td className={td}>
                  <input type="checkbox" name="rev" value={r.id} aria-label={`Select revision ${r.id}`} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
                </td>
                <td className={td}>
                  <Link href={`/history/${r.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">#{r.id}</Link>
                </td>
                <td className={`${td} whitespace-nowrap`}><time dateTime={r.createdAt.toISOString()}>{r.createdAt.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })}</time></td>
                <td className={td}>{r.actor}</td>
                <td className={td}>{r.source}</td>
                <td className={`${td} font-mono text-xs`}>{r.target}</td>
                <td className={td}><ResultBadge result={r.result} /></td>
                <td className={`${td} tabular-nums`}>{count(r.plan)}</td>
                <td className={`${td} tabular-nums whitespace-nowrap`}>{secs(r.durationMs)}</td>
              </tr>
            ))}
          </Table>
        </form>
      )}
      <div className="mt-8"><HealthTimeline items={timeline} /></div>
    </>
  );
}
