// `switchyard revisions [--limit N]`: the applies, newest first.
import { cli, out, emit, table, when, database } from "@/lib/cli/context";

export async function revisions(limit: number): Promise<number> {
  await database();
  const { listRevisions } = await import("@/lib/engine/service");
  const revs = await listRevisions(limit);
  const rows = revs.map((r) => {
    let changes: number | null = null;
    try {
      changes = (JSON.parse(r.plan) as unknown[]).length;
    } catch {
      /* an unreadable plan is shown as unknown */
    }
    // the dynamic ISPs' addresses it ran with (null: none of them)
    const learned = r.learned ? (JSON.parse(r.learned) as import("@/lib/data/learned").RevisionLearned) : null;
    return {
      id: r.id,
      createdAt: r.createdAt,
      actor: r.actor,
      source: r.source,
      target: r.target,
      result: r.result,
      error: r.error,
      changes,
      durationMs: r.durationMs,
      learned,
    };
  });
  if (cli.json) {
    emit(rows);
    return 0;
  }
  if (rows.length === 0) {
    out("No revisions yet: `switchyard apply` makes the first.");
    return 0;
  }
  out(
    table(
      [
        ["ID", "WHEN", "ACTOR", "SOURCE", "RESULT", "CHANGES", "TARGET"],
        ...rows.map((r) => [String(r.id), when(r.createdAt), r.actor, r.source, r.result, r.changes === null ? "?" : String(r.changes), r.target]),
      ],
      "",
    ),
  );
  return 0;
}
