import { PageHeader } from "@/components/ui/page";
import { LiveKernel } from "@/components/kernel/live-kernel";
import { LongTermGraphs } from "@/components/kernel/long-term";
import { diffConfigs } from "@/lib/config-diff";
import { loadConfig } from "@/lib/data/config";
import { lastGoodRevision, userConfigOf } from "@/lib/data/revisions";
import { validateStoredConfig } from "@/lib/data/stored";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Live kernel" };

/** Would re-applying the last good revision replace staged edits? (The drift panel says so.) */
async function stagedDiffersFromLastGood(): Promise<boolean> {
  try {
    const [staged, last] = await Promise.all([loadConfig(), lastGoodRevision()]);
    if (!last) return false;
    // the user's configuration: a failover the monitor applied on top is not replaced by a re-apply
    const v = validateStoredConfig(userConfigOf(last));
    return !v.ok || diffConfigs(v.config, staged).length > 0;
  } catch {
    return false;
  }
}

export default async function LiveKernelPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  return (
    <>
      <PageHeader
        title="Live kernel"
        description="What the gateway's kernel holds right now, read every 2 seconds: traffic per ISP, Switchyard's rules, routes and chains next to everything else on the machine, and any drift from the last applied revision."
      />
      <LiveKernel stagedDiffers={await stagedDiffersFromLastGood()} longTerm={<LongTermGraphs />} />
    </>
  );
}
