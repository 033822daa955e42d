// What the monitor reads of the revisions (its base, what the kernel last ran, a newer user
// apply) and its claim on a target (one monitor per target). Split from monitor.ts.
import fs from "node:fs";
import { lastGoodRevision, leftAsIntended, newestRevision, userConfigOf } from "@/lib/data/revisions";
import { parseStoredConfig } from "@/lib/data/stored";
import { formatIssues } from "@/lib/validation/issues";
import { canonicalJson } from "@/lib/engine/status";
import { loadConfig } from "@/lib/data/config";
import type { GatewayConfig } from "@/lib/model";
import type { ManagedTarget } from "@/lib/engine/target";
import { validateConfig } from "@/lib/validation";

/** The last configuration a user (not the monitor) applied cleanly, else the staged one. */
export async function baseConfig(): Promise<{ config: GatewayConfig; revisionId: number | null }> {
  const rev = await lastGoodRevision({ byUser: true });
  const v = validateConfig(rev ? parseStoredConfig(userConfigOf(rev), `the configuration of revision ${rev.id}`) : await loadConfig());
  if (!v.ok)
    throw new Error(`the ${rev ? `configuration of revision ${rev.id}` : "staged configuration"} is not valid: ${formatIssues(v.issues, { paths: false })}`);
  return { config: v.config, revisionId: rev?.id ?? null };
}

export async function lastAppliedKey(): Promise<string | null> {
  const rev = await lastGoodRevision();
  return rev ? canonicalJson(parseStoredConfig(rev.config, `the configuration of revision ${rev.id}`)) : null;
}

const RUN_DIR = "/run/switchyard";
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const claimed = new Set<string>();

/** One monitor per target, in this process and across processes: two would fight over the same applies. */
export function claim(target: ManagedTarget): () => void {
  const file = `${RUN_DIR}/monitor-${target.target.kind === "host" ? "host" : target.target.name}.pid`;
  if (claimed.has(file)) throw new Error(`a monitor already runs for ${target.label} in this process`);
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const other = Number(fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "");
  if (Number.isInteger(other) && other > 1 && other !== process.pid && alive(other)) {
    throw new Error(`a monitor already runs for ${target.label} (pid ${other}, ${file})`);
  }
  fs.writeFileSync(file, `${process.pid}\n`);
  claimed.add(file);
  return () => {
    claimed.delete(file);
    fs.rmSync(file, { force: true });
  };
}

export async function latestUserRevision() {
  const rev = await newestRevision({ byUser: true });
  return rev
    ? {
        id: rev.id,
        result: rev.result,
        good: leftAsIntended(rev.result),
        key: canonicalJson(parseStoredConfig(rev.config, `the configuration of revision ${rev.id}`)),
      }
    : null;
}
