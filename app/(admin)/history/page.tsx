// Every apply, newest first: who, when, what it changed, its comment, and whether it verified.
import Link from "next/link";
import { ResultBadge } from "@/components/history/result-badge";
import { HealthTimeline } from "@/components/health/timeline";
import { PageHeader, Table, td } from "@/components/ui/page";
import { PageNote, Pager } from "@/components/ui/pager";
import { healthTimeline } from "@/lib/health/view";
import { revisionPage } from "@/lib/data/history";
import { requireUserPage } from "@/lib/auth/guard";
import { pageFrom } from "@/lib/validation/paging";

export const dynamic = "force-dynamic";
export const metadata = { title: "History" };

const secs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
const when = (d: Date) => d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });

export default async function HistoryPage({ searchParams }: { searchParams: Promise<{ page?: string | string[] }> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const asked = pageFrom((await searchParams).page);
  const [data, timeline] = await Promise.all([revisionPage(asked.page), healthTimeline(30)]);
  if (!data) return null;
  const { revisions, page, pages } = data;
  return (
    <>
      <PageHeader
        title="History"
        description="Every apply is a revision: the configuration, the commands that ran, the verification, and the ruleset. Tick two to compare them."
      />
      <PageNote asked={asked.page} shown={page} refused={asked.refused} />
      {revisions.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Nothing has been applied yet.{" "}
          <Link href="/" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
            Apply from the dashboard
          </Link>
          .
        </p>
      ) : (
        <form action="/history/compare" method="get" className="space-y-3">
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="submit"
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:hover:bg-slate-700"
            >
              Compare selected
            </button>
            <span className="text-sm text-slate-600 dark:text-slate-400">Tick two revisions.</span>
          </div>
          {/* a phone gets one card per revision: result and summary visible without scrolling sideways */}
          <ul aria-label="Revisions" className="space-y-2 md:hidden">
            {revisions.map((r) => (
              <li key={r.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
                <div className="flex items-center justify-between gap-2">
                  <label className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      name="rev"
                      value={r.id}
                      aria-label={`Select revision ${r.id}`}
                      className="h-4 w-4 rounded border-slate-300 text-indigo-600"
                    />
                    <Link href={`/history/${r.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
                      #{r.id}
                    </Link>
                  </label>
                  <ResultBadge result={r.result} />
                </div>
                {r.comment && <p className="mt-1 font-medium">{r.comment}</p>}
                <p className="mt-1 text-slate-700 dark:text-slate-300">{r.summary}</p>
                <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                  {when(r.createdAt)} · {r.actor} ({r.source}) · {r.kernelChanges} kernel changes · {secs(r.durationMs)}
                </p>
              </li>
            ))}
          </ul>
          <div className="hidden md:block">
            <Table head={["", "Revision", "When", "Who", "Result", "What changed", "Kernel", "Duration"]}>
              {revisions.map((r) => (
                <tr key={r.id}>
                  <td className={td}>
                    <input
                      type="checkbox"
                      name="rev"
                      value={r.id}
                      aria-label={`Select revision ${r.id}`}
                      className="h-4 w-4 rounded border-slate-300 text-indigo-600"
                    />
                  </td>
                  <td className={td}>
                    <Link href={`/history/${r.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
                      #{r.id}
                    </Link>
                  </td>
                  <td className={`${td} whitespace-nowrap`}>
                    <time dateTime={r.createdAt.toISOString()}>{when(r.createdAt)}</time>
                  </td>
                  <td className={td}>
                    {r.actor} <span className="text-slate-500 dark:text-slate-400">({r.source})</span>
                    <div className="font-mono text-xs text-slate-500">{r.target}</div>
                  </td>
                  <td className={td}>
                    <ResultBadge result={r.result} />
                  </td>
                  <td className={`${td} min-w-[16rem]`}>
                    {r.comment && <div className="font-medium">{r.comment}</div>}
                    <div className="text-slate-600 dark:text-slate-400">{r.summary}</div>
                  </td>
                  <td className={`${td} tabular-nums`} title="kernel commands in the plan">
                    {r.kernelChanges}
                  </td>
                  <td className={`${td} tabular-nums whitespace-nowrap`}>{secs(r.durationMs)}</td>
                </tr>
              ))}
            </Table>
          </div>
        </form>
      )}
      <Pager page={page} pages={pages} href={(p) => (p === 1 ? "/history" : `/history?page=${p}`)} />
      <div className="mt-8">
        <HealthTimeline items={timeline} />
      </div>
    </>
  );
}
