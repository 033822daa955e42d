// One revision: what changed, the commands it ran, how it was verified, the ruleset,
// and a button to put it on the gateway again.
import Link from "next/link";
import { notFound } from "next/navigation";
import { CommentForm } from "@/components/history/comment-form";
import { ConfigChanges } from "@/components/history/config-changes";
import { PlanLines } from "@/components/history/plan-lines";
import { ReapplyButton } from "@/components/history/reapply-button";
import { ResultBadge } from "@/components/history/result-badge";
import { Verification } from "@/components/history/verification";
import { CopyDownload } from "@/components/ruleset/copy-download";
import { Journal } from "@/components/history/journal";
import type { JournalEntry } from "@/lib/net/exec";
import { Card } from "@/components/ui/page";
import { diffConfigs } from "@/lib/config-diff";
import { getRevision, revisionBefore } from "@/lib/data/revisions";
import { readStoredConfig } from "@/lib/data/stored";
import { EMPTY_CONFIG } from "@/lib/engine/staged";
import type { PlanLine } from "@/lib/net/plan";
import type { VerifyReport } from "@/lib/net/verify";
import type { RevisionLearned } from "@/lib/data/learned";
import { requireUserPage } from "@/lib/auth/guard";
import { idFrom } from "@/lib/validation/form";

export const dynamic = "force-dynamic";

const parse = <T,>(json: string | null): T | null => {
  try {
    return json ? (JSON.parse(json) as T) : null;
  } catch {
    return null;
  }
};

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: `Revision #${(await params).id}` };
}

export default async function RevisionPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const id = idFrom((await params).id);
  const rev = id ? await getRevision(id) : null;
  if (!rev) notFound();
  const previous = await revisionBefore(rev.id);
  const config = readStoredConfig(rev.config);
  const prevConfig = readStoredConfig(previous?.config);
  const plan = parse<PlanLine[]>(rev.plan) ?? [];
  const journal = parse<JournalEntry[]>(rev.journal) ?? [];
  const verification = parse<VerifyReport>(rev.verification);
  const failedHosts = verification?.hosts.filter((h) => !h.ok) ?? [];
  const learned = parse<RevisionLearned>(rev.learned);
  return (
    <>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-sm">
            <Link href="/history" className="text-indigo-700 hover:underline dark:text-indigo-400">
              ← History
            </Link>
          </p>
          <h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            Revision #{rev.id} <ResultBadge result={rev.result} />
          </h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {rev.source === "reapply" ? "Re-applied" : "Applied"} by <strong>{rev.actor}</strong> ({rev.source}) on{" "}
            <time dateTime={rev.createdAt.toISOString()}>{rev.createdAt.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })}</time> to{" "}
            <span className="font-mono">{rev.target}</span>, in {(rev.durationMs / 1000).toFixed(1)} s.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {previous && (
            <Link
              href={`/history/compare?a=${previous.id}&b=${rev.id}`}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:hover:bg-slate-700"
            >
              Compare with #{previous.id}
            </Link>
          )}
          {config && <ReapplyButton id={rev.id} />}
        </div>
      </div>
      <div className="space-y-6">
        <Card>
          <CommentForm id={rev.id} comment={rev.comment} />
        </Card>
        {rev.error && (
          <div
            role="alert"
            className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200"
          >
            <p className="font-semibold">{rev.result === "rolled-back" ? "Failed and rolled back" : "Failed"}</p>
            <pre className="mt-1 font-mono text-xs whitespace-pre-wrap">{rev.error}</pre>
            {failedHosts.length > 0 && (
              <ul className="mt-2 list-disc pl-5">
                {failedHosts.map((h) => (
                  <li key={h.address}>
                    {h.name} ({h.address}): {h.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <Card>
          <h2 className="mb-3 flex flex-wrap items-center gap-2 font-semibold">
            Configuration changes{" "}
            {previous ? (
              <>
                since the revision before,{" "}
                <Link href={`/history/${previous.id}`} className="text-indigo-700 hover:underline dark:text-indigo-400">
                  #{previous.id}
                </Link>{" "}
                <ResultBadge result={previous.result} />
              </>
            ) : (
              "(the first revision)"
            )}
          </h2>
          {config ? (
            <ConfigChanges changes={diffConfigs(prevConfig ?? EMPTY_CONFIG, config)} empty="Same configuration as the revision before." />
          ) : (
            <p className="text-sm text-red-700">This revision&apos;s configuration cannot be read.</p>
          )}
        </Card>
        {learned && (
          <Card>
            <h2 className="mb-3 font-semibold">
              Learned addresses <span className="font-normal text-slate-500">(DHCP, PPP: what this revision ran with)</span>
            </h2>
            <ul aria-label="Learned addresses" className="space-y-1 text-sm">
              {Object.entries(learned).map(([isp, l]) => (
                <li key={isp}>
                  <strong>{isp}</strong>:{" "}
                  {"address" in l ? (
                    <>
                      <span className="font-mono">
                        {l.address}/{l.prefix} via {l.gateway}
                      </span>
                      {l.learnedAt && (
                        <>
                          , learned{" "}
                          <time dateTime={l.learnedAt}>{new Date(l.learnedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })}</time>
                        </>
                      )}
                    </>
                  ) : (
                    <>nothing learned ({l.problem}): treated as down</>
                  )}
                </li>
              ))}
            </ul>
          </Card>
        )}
        <Card>
          <h2 className="mb-3 font-semibold">
            Plan <span className="font-normal text-slate-500">({plan.length} commands)</span>
          </h2>
          <PlanLines lines={plan} label="Revision plan" empty="Nothing needed to change on the gateway." />
        </Card>
        <Card>
          <h2 className="mb-3 font-semibold">Verification</h2>
          {verification ? (
            <Verification report={verification} outcome={rev.result === "rolled-back" ? "rolled-back" : rev.result === "failed" ? "failed" : "ok"} />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">Not verified: the apply stopped before it got there.</p>
          )}
        </Card>
        <Card>
          <details>
            <summary className="cursor-pointer font-semibold">Commands run ({journal.length})</summary>
            <div className="mt-3">
              <Journal entries={journal} />
            </div>
          </details>
        </Card>
        <Card>
          <div className="mb-3 flex items-center justify-between gap-3">
            <h2 className="font-semibold">Rendered ruleset</h2>
            <CopyDownload text={rev.ruleset} filename={`switchyard-revision-${rev.id}.sh`} />
          </div>
          <pre
            aria-label="Rendered ruleset"
            className="max-h-[32rem] overflow-auto rounded-md bg-slate-950 p-4 font-mono text-xs leading-relaxed text-slate-100"
          >
            {rev.ruleset}
          </pre>
        </Card>
      </div>
    </>
  );
}
