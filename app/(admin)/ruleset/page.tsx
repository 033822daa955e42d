import { Card, PageHeader } from "@/components/ui/page";
import { CopyDownload } from "@/components/ruleset/copy-download";
import { loadConfig } from "@/lib/data/config";
import { render } from "@/lib/net/render";
import { validateConfig } from "@/lib/validation";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Ruleset" };

export default async function RulesetPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const config = await loadConfig();
  const valid = validateConfig(config);
  const out = valid.ok ? render(config) : null;
  return (
    <>
      <PageHeader title="Ruleset" description="The complete iproute2 and iptables state Switchyard would apply for the staged configuration, as the commands an admin would type." />
      {!out ? (
        <p role="alert" className="text-sm text-red-600">The staged configuration is not valid yet; fix it on the settings pages.</p>
      ) : (
        <div className="space-y-6">
          <Card>
            <div className="mb-3 flex items-center justify-between gap-3">
              <h2 className="font-semibold">Script</h2>
              <CopyDownload text={out.script} filename="switchyard-ruleset.sh" />
            </div>
            <pre aria-label="Rendered ruleset" className="overflow-x-auto rounded-md bg-slate-950 p-4 font-mono text-xs leading-relaxed text-slate-100">{out.script}</pre>
          </Card>
          <Card>
            <div className="mb-3 flex items-center justify-between gap-3">
              <h2 className="font-semibold">iptables-restore input (exactly what is applied)</h2>
              <CopyDownload text={out.iptablesRestore} filename="switchyard.rules" />
            </div>
            <pre className="overflow-x-auto rounded-md bg-slate-950 p-4 font-mono text-xs leading-relaxed text-slate-100">{out.iptablesRestore}</pre>
          </Card>
        </div>
      )}
    </>
  );
}
