// Staged (saved, not yet applied) changes on the configuration lists: a "staged" badge per
// row, the staged removals, and the notice after a save. Server components.
import Link from "next/link";
import type { ConfigChange } from "@/lib/config-diff";
import { changesSince, lastApplied } from "@/lib/engine/staged";
import type { GatewayConfig } from "@/lib/model";
import { Badge } from "./page";

export type StagedMap = Map<string, ConfigChange>;

/**
 * Staged changes by "kind|name" (e.g. "host|laptop", "ISP|ISP2", "NAT address|203.0.113.10"),
 * against the staged configuration the page already read (10,000 hosts are not read twice).
 */
export async function loadStaged(staged: GatewayConfig): Promise<StagedMap> {
  const applied = await lastApplied();
  return new Map(changesSince(applied?.config ?? null, staged).map((c) => [`${c.kind}|${c.name}`, c]));
}

const WORD = { added: "new", changed: "changed", removed: "removed" } as const;

/** "staged: new" / "staged: changed" next to a row that differs from what the gateway runs. */
export function StagedBadge({ staged, kind, name }: { staged: StagedMap; kind: ConfigChange["kind"]; name: string }) {
  const c = staged.get(`${kind}|${name}`);
  if (!c) return null;
  return (
    <span title={c.details.join("; ") || undefined}>
      <Badge tone="amber">staged: {WORD[c.op]}</Badge>
    </span>
  );
}

/** Rows that exist on the gateway but were removed from the staged configuration. */
export function StagedRemovals({ staged, kind, noun }: { staged: StagedMap; kind: ConfigChange["kind"]; noun: string }) {
  const gone = [...staged.values()].filter((c) => c.kind === kind && c.op === "removed").map((c) => c.name);
  if (gone.length === 0) return null;
  return (
    <p className="mt-3 text-sm text-amber-800 dark:text-amber-300">
      Removed, staged: {noun} {gone.join(", ")} still {gone.length === 1 ? "runs" : "run"} on the gateway until you{" "}
      <Link href="/" className="font-medium underline">
        apply on the dashboard
      </Link>
      .
    </p>
  );
}

/**
 * The notices a list page shows after a write, by key (?saved=KEY): fixed texts only. The
 * address is anyone's to write (a link in a mail), so no text of it is ever shown: a
 * `?saved=Your session expired, call ...` once printed its words as Switchyard's own.
 */
export const SAVED_NOTICES = { "1": "Saved" } as const;
export type SavedKey = keyof typeof SAVED_NOTICES;

/** After a save (?saved=1): what kind of thing was saved, and that it is staged; nothing for any other value. */
export function SavedNotice({ params, noun, also }: { params: Record<string, string | string[] | undefined>; noun: string; also?: string }) {
  const key = params.saved;
  if (typeof key !== "string" || !Object.hasOwn(SAVED_NOTICES, key)) return null;
  const what = `${SAVED_NOTICES[key as SavedKey]} ${noun}.`;
  return (
    <p
      role="status"
      className="mb-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
    >
      <strong>{what}</strong> Staged:{" "}
      <Link href="/" className="font-medium underline">
        apply on the dashboard
      </Link>{" "}
      to put it on the gateway.{also ? ` ${also}` : ""}
    </p>
  );
}
