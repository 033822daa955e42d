import { Badge, PageHeader, Table, td } from "@/components/ui/page";
import { PageNote, Pager } from "@/components/ui/pager";
import { auditPage, parseAuditQuery } from "@/lib/data/audit-view";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log" };

const tone = (result: string) => (result === "ok" ? "green" : result === "failed" ? "red" : "amber");
const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);

function Values({ label, json }: { label: string; json: string | null }) {
  if (!json) return null;
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs text-slate-500">{label}</summary>
      <pre className="mt-1 max-w-xl overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{JSON.stringify(JSON.parse(json), null, 2)}</pre>
    </details>
  );
}

const select = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUserPage();
  const q = parseAuditQuery(await searchParams);
  const data = await auditPage(q);
  if (!data) return null;
  const { events, total, page, pages, kinds, users } = data;
  const query = (over: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ kind: q.kind, user: q.user, ...over }))
      if (v !== undefined && v !== "" && !(k === "page" && String(v) === "1")) p.set(k, String(v));
    const s = p.toString();
    return s ? `?${s}` : "";
  };
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Logins (failed ones too), every configuration change with its values before and after, and every apply with its result."
      />
      <form method="get" action="/audit" role="search" aria-label="Filter the audit log" className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="font-medium">Kind</span>
          <select name="kind" defaultValue={q.kind ?? ""} className={select}>
            <option value="">all kinds</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">User</span>
          <select name="user" defaultValue={q.user ?? ""} className={select}>
            <option value="">all users</option>
            {users.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500">
          Filter
        </button>
        {(q.kind || q.user) && (
          <a href="/audit" className="py-1.5 text-indigo-700 underline dark:text-indigo-400">
            Clear
          </a>
        )}
        <a
          href={`/audit/export${query({ page: undefined })}`}
          download
          className="ml-auto rounded-md px-3 py-1.5 font-medium ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800"
        >
          Export CSV
        </a>
      </form>
      <PageNote asked={q.page} shown={page} refused={q.refused} />
      <p className="mb-2 text-sm text-slate-600 dark:text-slate-400" role="status">
        {total} {total === 1 ? "event" : "events"}
        {q.kind || q.user ? " match" : ""}
      </p>

      {/* a phone gets one card per event: every field visible without scrolling sideways */}
      <ul className="space-y-2 md:hidden" aria-label="Events">
        {events.map((e) => (
          <li key={e.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
            <div className="flex items-center justify-between gap-2">
              <span className="font-mono font-medium">{e.action}</span>
              <Badge tone={tone(e.result)}>{e.result}</Badge>
            </div>
            <div className="mt-1 text-slate-600 dark:text-slate-400">
              {when(e.at)} · {e.actor} <span className="font-mono">{e.clientIp}</span>
            </div>
            {e.target && <div className="mt-1">{e.target}</div>}
            <Values label="before" json={e.before} />
            <Values label="after" json={e.after} />
          </li>
        ))}
      </ul>
      <div className="hidden md:block">
        <Table head={["When", "Who", "From", "Action", "Target", "Result", "Details"]}>
          {events.map((e) => (
            <tr key={e.id}>
              <td className={`${td} whitespace-nowrap`}>{when(e.at)}</td>
              <td className={td}>{e.actor}</td>
              <td className={`${td} font-mono`}>{e.clientIp}</td>
              <td className={`${td} font-mono`}>{e.action}</td>
              <td className={td}>{e.target}</td>
              <td className={td}>
                <Badge tone={tone(e.result)}>{e.result}</Badge>
              </td>
              <td className={td}>
                <Values label="before" json={e.before} />
                <Values label="after" json={e.after} />
              </td>
            </tr>
          ))}
        </Table>
      </div>
      {events.length === 0 && <p className="mt-4 text-sm text-slate-600">{q.kind || q.user ? "No event matches this filter." : "Nothing recorded yet."}</p>}
      <Pager page={page} pages={pages} href={(page) => `/audit${query({ page })}`} />
    </>
  );
}
