// Two revisions side by side: their configurations in words, and their rulesets line by line.
import Link from "next/link";
import { ConfigChanges } from "@/components/history/config-changes";
import { LineDiff } from "@/components/history/line-diff";
import { ResultBadge } from "@/components/history/result-badge";
import { Card, PageHeader } from "@/components/ui/page";
import { diffConfigs } from "@/lib/config-diff";
import { getRevision } from "@/lib/data/revisions";
import { readStoredConfig } from "@/lib/data/stored";
import { requireUserPage } from "@/lib/auth/guard";
import { idFrom } from "@/lib/validation/form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Compare revisions" };

type Search = Promise<Record<string, string | string[] | undefined>>;

function pickIds(sp: Record<string, string | string[] | undefined>): number[] {
  const raw = [sp.rev, sp.a, sp.b].flat().filter((v): v is string => typeof v === "string");
  return [...new Set(raw.map(idFrom).filter((n): n is number => n !== null))].sort((x, y) => x - y);
}

function Problem({ text }: { text: string }) {
  return (
    <>
      <PageHeader title="Compare revisions" />
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        {text}
      </p>
      <p className="mt-3 text-sm">
        <Link href="/history" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
          ← Back to History
        </Link>
      </p>
    </>
  );
}

export default async function ComparePage({ searchParams }: { searchParams: Search }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const ids = pickIds(await searchParams);
  if (ids.length !== 2) return <Problem text={`Pick exactly two revisions to compare (you picked ${ids.length}).`} />;
  const [a, b] = await Promise.all(ids.map((id) => getRevision(id)));
  if (!a || !b) return <Problem text={`There is no revision ${!a ? ids[0] : ids[1]}.`} />;
  const ca = readStoredConfig(a.config);
  const cb = readStoredConfig(b.config);
  const label = (r: typeof a) => (
    <span className="inline-flex items-center gap-2">
      <Link href={`/history/${r.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
        #{r.id}
      </Link>
      <ResultBadge result={r.result} />
      <span className="text-slate-600 dark:text-slate-400">
        {r.createdAt.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })} by {r.actor}
      </span>
    </span>
  );
  return (
    <>
      <PageHeader title={`Revision #${a.id} → #${b.id}`} description="What changed from the older revision to the newer one." />
      <p className="mb-4 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <span>Before: {label(a)}</span>
        <span>After: {label(b)}</span>
      </p>
      <div className="space-y-6">
        <Card>
          <h2 className="mb-3 font-semibold">Configuration</h2>
          {ca && cb ? (
            <ConfigChanges changes={diffConfigs(ca, cb)} empty="The two configurations are the same." />
          ) : (
            <p className="text-sm text-red-700">A configuration cannot be read.</p>
          )}
        </Card>
        <Card>
          <h2 className="mb-3 font-semibold">Rendered ruleset</h2>
          <LineDiff before={a.ruleset} after={b.ruleset} label="Ruleset diff" />
        </Card>
      </div>
      <p className="mt-6 text-sm">
        <Link href="/history" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
          ← Back to History
        </Link>
      </p>
    </>
  );
}
