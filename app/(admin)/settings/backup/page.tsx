// Settings → Backup and restore: download the staged configuration (the CLI's import format),
// or upload one, see its diff against the staged configuration, and stage it.
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/page";
import { requireUserPage } from "@/lib/auth/guard";
import { Restore } from "@/components/backup/restore";
import { ScheduleForm } from "@/components/backup/schedule-form";
import { loadBackupSchedule } from "@/lib/backup/schedule-store";
import { backupDir, listBackups } from "@/lib/backup/scheduled";
import { previewRestoreAction, saveBackupScheduleAction, stageRestoreAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Backup and restore" };

export default async function BackupPage() {
  await requireUserPage();
  const schedule = await loadBackupSchedule();
  const copies = listBackups();
  return (
    <>
      <PageHeader
        title="Backup and restore"
        description="The configuration as a file, the same as switchyard config export writes and switchyard config import reads: ISPs, hosts, policies, NAT addresses, LANs, settings and the ISPs' health-check settings."
      />
      <p className="mb-4 text-sm">
        <Link href="/settings" className="underline">
          ← Settings
        </Link>
      </p>
      <Card className="mb-6">
        <h2 className="mb-2 text-lg font-semibold">Download</h2>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          The staged configuration (what the next apply applies). Not in it: accounts, sessions, metrics tokens and the history of applies.
        </p>
        <a
          href="/settings/backup/download"
          download
          className="inline-block rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900"
        >
          Download the configuration
        </a>
      </Card>
      <Card className="mb-6">
        <h2 className="mb-2 text-lg font-semibold">Scheduled copies</h2>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          The monitor (<code>switchyard monitor</code>, the switchyard-monitor service) writes the download above into <code>{backupDir()}</code> (readable by
          the server&apos;s user only), and keeps the newest copies.
        </p>
        <ScheduleForm action={saveBackupScheduleAction} initial={{ every: schedule.every, keep: String(schedule.keep) }} />
        {copies.length > 0 ? (
          <ul aria-label="Copies" className="mt-4 space-y-1 text-sm">
            {copies.map((c) => (
              <li key={c.name}>
                <a href={`/settings/backup/files/${c.name}`} download className="font-mono text-indigo-700 underline dark:text-indigo-400">
                  {c.name}
                </a>{" "}
                <span className="text-slate-500">({(c.bytes / 1024).toFixed(1)} KiB)</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-4 text-sm text-slate-500">No copies yet.</p>
        )}
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">Restore</h2>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          Choose a file to see what it changes. Staging it replaces the staged configuration as a whole (checked first: an invalid file changes nothing); the
          gateway changes only when you apply.
        </p>
        <Restore preview={previewRestoreAction} stage={stageRestoreAction} />
      </Card>
    </>
  );
}
