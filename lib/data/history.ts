// Reads of the revision history for the web UI: each revision with a one-line summary of what
// it changed in the configuration (against the revision before it), paged. Checks the session.
import "server-only";
import { currentUser } from "@/lib/auth/guard";
import { diffConfigs, type ConfigChange } from "@/lib/config-diff";
import { EMPTY_CONFIG } from "@/lib/engine/staged";
import { countRevisions, revisionRows } from "./revisions";
import { readStoredConfig } from "./stored";
import { clampPage } from "@/lib/validation/paging";

export const HISTORY_PAGE_SIZE = 50;

const sign = { added: "+", removed: "−", changed: "~" } as const;

/** "+host nas, ~host laptop (ISP), −ISP ISP3" — at most `max` items, then "and N more". Pure. */
export function changeSummary(changes: ConfigChange[], max = 3): string {
  if (changes.length === 0) return "no configuration change";
  const item = (c: ConfigChange) => {
    const fields = c.op === "changed" ? ` (${c.details.map((d) => d.split(":")[0]).join(", ")})` : "";
    return `${sign[c.op]}${c.kind} ${c.name}${fields}`;
  };
  const shown = changes.slice(0, max).map(item).join(", ");
  return changes.length > max ? `${shown} and ${changes.length - max} more` : shown;
}

/** One page of revisions; a page past the last is the last (`page` says which was read). */
export async function revisionPage(asked: number) {
  if (!(await currentUser())) return null;
  const total = await countRevisions();
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const page = clampPage(asked, pages);
  const skip = (page - 1) * HISTORY_PAGE_SIZE;
  // one more than the page: the oldest one's summary needs the revision before it
  const rows = await revisionRows(skip, HISTORY_PAGE_SIZE + 1);
  // what the kernel ran (a monitor failover shows as the hosts it moved)
  const configs = rows.map((r) => readStoredConfig(r.config));
  const revisions = rows.slice(0, HISTORY_PAGE_SIZE).map(({ config: _config, ...r }, i) => {
    const after = configs[i];
    const before = i + 1 < rows.length ? configs[i + 1] : skip + i + 1 >= total ? EMPTY_CONFIG : null;
    let changes: number;
    try {
      changes = (JSON.parse(r.plan) as unknown[]).length;
    } catch {
      changes = 0;
    }
    return { ...r, kernelChanges: changes, summary: after && before ? changeSummary(diffConfigs(before, after)) : after ? "" : "configuration unreadable" };
  });
  return { total, revisions, page, pages };
}
