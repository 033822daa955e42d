import { Badge, PageHeader, Table, td } from "@/components/ui/page";
import { listAudit } from "@/lib/data/audit";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log" };

const tone = (result: string) => (result === "ok" ? "green" : result === "failed" ? "red" : "amber");

function Values({ label, json }: { label: string; json: string | null }) {
  if (!json) return null;
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs text-slate-500">{label}</summary>
      <pre className="mt-1 max-w-xl overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{JSON.stringify(JSON.parse(json), null, 2)}</pre>
    </details>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ action?: string }> }) {
  await requireUserPage();
  const { action } = await searchParams;
  const events = (await listAudit(500)).filter((e) => !action || e.action.startsWith(action));
  return (
    <>
      <PageHeader title="Audit log" description="Logins (failed ones too), every configuration change with its values before and after, and every apply with its result." />
      <nav aria-label="Filter" className="mb-4 flex flex-wrap gap-2 text-sm">
        {["", "login", "isp", "host", "nat", "settings", "config", "apply", "user"].map((a) => (
          <a key={a} href={a ? `/audit?action=${a}` : "/audit"} aria-current={(action ?? "") === a ? "page" : undefined}
            className="rounded-full border border-slate-300 px-3 py-1 aria-[current=page]:bg-indigo-600 aria-[current=page]:text-white dark:border-slate-700">
            {a || "all"}
          </a>
        ))}
      </nav>
      <Table head={["When", "Who", "From", "Action", "Target", "Result", "Details"]}>
        {events.map((e) => (
          <tr key={e.id}>
            <td className={`${td} whitespace-nowrap`}>{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
            <td className={td}>{e.actor}</td>
            <td className={`${td} font-mono`}>{e.clientIp}</td>
            <td className={`${td} font-mono`}>{e.action}</td>
            <td className={td}>{e.target}</td>
            <td className={td}><Badge tone={tone(e.result)}>{e.result}</Badge></td>
            <td className={td}><Values label="before" json={e.before} /><Values label="after" json={e.after} /></td>
          </tr>
        ))}
      </Table>
      {events.length === 0 && <p className="mt-4 text-sm text-slate-600">Nothing recorded yet.</p>}
    </>
  );
}
