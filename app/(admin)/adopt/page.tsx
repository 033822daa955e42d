import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { NotUnderstood, OldSetupProblems, ProposalTable, TakeoverList } from "@/components/adopt/proposal";
import { requireUserPage } from "@/lib/auth/guard";
import { adoptionFingerprint } from "@/lib/adopt/fingerprint";
import { inferAdoption } from "@/lib/adopt/infer";
import { overridesWithoutTakeover } from "@/lib/adopt/lint-after";
import { readGateway } from "@/lib/adopt/read";
import { loadStagedTakeover } from "@/lib/adopt/store";
import { resolveTarget } from "@/lib/engine/target";
import { dropTakeoverAction, stageAdoptionAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Import from this gateway" };

const note = "mb-4 rounded-md border p-3 text-sm";
const good = `${note} border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200`;

async function read() {
  const managed = resolveTarget();
  try {
    const input = await readGateway(managed.target);
    const adoption = inferAdoption(input);
    return { managed, adoption, overrides: adoption.config ? overridesWithoutTakeover(adoption.config, input.observed) : [], error: null };
  } catch (e) {
    return { managed, adoption: null, overrides: [], error: e instanceof Error ? e.message : String(e) };
  }
}

export default async function AdoptPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const q = await searchParams;
  const [{ managed, adoption, overrides, error }, staged] = await Promise.all([read(), loadStagedTakeover()]);
  return (
    <>
      <PageHeader
        title="Import from this gateway"
        description={`Reads the hand-made setup on ${managed.label} (ip rule, every routing table, rt_tables, iptables-save, addresses) and proposes a configuration. Nothing changes until you stage it and then apply it; what Switchyard cannot map stays foreign.`}
      />
      {q.staged === "1" && (
        <p role="status" className={good}>
          Staged: edit it on the ISPs, Hosts and NAT pages like any staged configuration, then use Apply &amp; verify on the{" "}
          <Link href="/" className="underline">
            dashboard
          </Link>
          .
        </p>
      )}
      {q.dropped === "1" && (
        <p role="status" className={good}>
          The take over is dropped: applying keeps the old objects where they are.
        </p>
      )}
      {staged && (
        <Card className="mb-4">
          <p className="text-sm">
            A take over of {staged.items.length} old objects of {staged.source} is staged (by {staged.actor}): the next Apply &amp; verify replaces them.
          </p>
          <form action={dropTakeoverAction} className="mt-2">
            <button
              type="submit"
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Keep the old objects (drop the take over)
            </button>
          </form>
        </Card>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-600">
          Could not read the gateway: {error}
        </p>
      )}
      {adoption && !adoption.config && (
        <p role="status" className="mb-4 text-sm">
          {adoption.nothing}
        </p>
      )}
      {adoption && (
        <div className="space-y-6">
          {adoption.config && <ProposalTable items={adoption.items} />}
          <OldSetupProblems problems={adoption.problems} />
          <NotUnderstood items={adoption.notUnderstood} />
          {adoption.config && <TakeoverList adoption={adoption} overrides={overrides} />}
          {adoption.config && (
            <Card>
              <h2 className="mb-2 font-semibold">Stage this configuration</h2>
              <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
                It replaces the staged configuration (validated like every change; nothing is half saved).
              </p>
              <EntityForm
                action={stageAdoptionAction}
                fields={[{ name: "takeover", label: `Take over: the next apply replaces the ${adoption.takeover.length} old objects`, type: "checkbox" }]}
                initial={{ takeover: "" }}
                hidden={{ fingerprint: adoptionFingerprint(adoption) }}
                submitLabel="Stage this configuration"
              />
            </Card>
          )}
        </div>
      )}
    </>
  );
}
