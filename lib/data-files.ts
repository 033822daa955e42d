// The database holds the admin's password hash and session hashes: only the server's user may
// read it, in every layout (development data/, the installed /var/lib/switchyard, a chosen
// DATABASE_URL). At start the server (server.mjs) makes it so where it can, and refuses to run
// where it cannot:
//   - the database directory: 0700 when it is ours (owned by this user, not a shared sticky
//     directory like /tmp, and named like a data directory: data/ or *switchyard*); a directory
//     others can write into is refused when it is not ours to fix (they could plant or swap files);
//   - the database and its companions (<db>-journal, -wal, -shm, .pre-upgrade):
//     0600, and refused when owned by another user;
//   - in a directory of ours, every other file too (logs, other databases) is made 0600.
// Plain TypeScript (no server-only): server.mjs loads it through tsx, tests import it.
import fs from "node:fs";
import path from "node:path";

export interface DataFilesReport {
  /** "chmod 0700 /path" lines for what was changed */
  fixed: string[];
  /** why the server must not run on this database, or null */
  refused: string | null;
  /** said, but no reason to stop (a readable directory that is not ours, with private files) */
  warnings: string[];
}

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, "0");

/** A directory this program may tighten: owned by us, not sticky, and named as a data directory. */
function ours(dir: string, st: fs.Stats, uid: number | undefined): boolean {
  const name = path.basename(dir);
  const sticky = (st.mode & 0o1000) !== 0; // a shared directory like /tmp
  return (uid === undefined || st.uid === uid) && !sticky && (name === "data" || /switchyard/i.test(name));
}

export function secureDataFiles(dbFile: string): DataFilesReport {
  const uid = process.getuid?.();
  const dir = path.dirname(dbFile);
  const report: DataFilesReport = { fixed: [], refused: null, warnings: [] };
  let dst: fs.Stats;
  try {
    dst = fs.statSync(dir);
  } catch {
    return report; // no directory yet: whoever creates it (migrate, setup) runs under umask 077
  }
  const mine = ours(dir, dst, uid);
  if (dst.mode & 0o077) {
    if (mine) {
      fs.chmodSync(dir, 0o700);
      report.fixed.push(`chmod 0700 ${dir} (was ${octal(dst.mode)})`);
    } else if (dst.mode & 0o022) {
      report.refused = `The database directory ${dir} (mode ${octal(dst.mode)}) can be written by other users, who could plant or replace its files. Put the database in a directory of its own, owned by the server's user, mode 0700 (DATABASE_URL).`;
      return report;
    } else report.warnings.push(`The database directory ${dir} is readable by other users (mode ${octal(dst.mode)}); its database files are kept 0600.`);
  }
  const base = path.basename(dbFile);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const companion = entry.name === base || entry.name.startsWith(`${base}-`) || entry.name.startsWith(`${base}.`);
    // the setup token is judged by lib/auth/setup-token.ts: refused, never tightened and adopted
    if (!entry.isFile() || (!companion && !mine) || entry.name === `${base}.setup-token`) continue;
    const file = path.join(dir, entry.name);
    const st = fs.lstatSync(file);
    if (uid !== undefined && st.uid !== uid) {
      if (companion) {
        report.refused = `${file} is owned by uid ${st.uid}, not by the server's user (uid ${uid}): move it away, or run the server as its owner.`;
        return report;
      }
      continue;
    }
    if (st.mode & 0o077) {
      fs.chmodSync(file, 0o600);
      report.fixed.push(`chmod 0600 ${file} (was ${octal(st.mode)})`);
    }
  }
  return report;
}
