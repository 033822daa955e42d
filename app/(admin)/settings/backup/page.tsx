// Settings → Backup and restore: download the staged configuration (the CLI's import format),
// or upload one, see its diff against the staged configuration, and stage it.
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/page";
import { requireUserPage } from "@/lib/auth/guard";
import { Restore } from "@/components/backup/restore";
import { previewRestoreAction, stageRestoreAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Backup and restore" };

export default async function BackupPage() {
  await requireUserPage();
  return (
    <>
      <PageHeader title="Backup and restore" description="The configuration as a file, the same as `switchyard config export` writes and `switchyard config import` reads: ISPs, hosts, policies, NAT addresses, LANs, settings and the ISPs' health-check settings." />
      <p className="mb-4 text-sm"><Link href="/settings" className="underline">← Settings</Link></p>
      <Card className="mb-6">
        <h2 className="mb-2 text-lg font-semibold">Download</h2>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">The staged configuration (what the next apply applies). Not in it: accounts, sessions, metrics tokens and the history of applies.</p>
        <a href="/settings/backup/download" download className="inline-block rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900">Download the configuration</a>
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">Restore</h2>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">Choose a file to see what it changes. Staging it replaces the staged configuration as a whole (checked first: an invalid file changes nothing); the gateway changes only when you apply.</p>
        <Restore preview={previewRestoreAction} stage={stageRestoreAction} />
      </Card>
    </>
  );
}
