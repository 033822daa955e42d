// When the database refuses a write mid-apply (a full disk): the kernel side is handled as for
// any failed step (rolled back), and what the user reads says what happened to the kernel and at
// which step, not only Prisma's "database error ... disk is full".
import type { ApplyReport } from "./run";

/** One line for a database failure. */
export function dbFailure(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  if (/SQLITE_FULL|disk is full/i.test(text)) return "the database could not be written: database or disk is full";
  const code = (e as { code?: unknown })?.code;
  const last =
    text
      .trim()
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? text;
  return `database error${typeof code === "string" ? ` ${code}` : ""}: ${last}`;
}

/** A write of the apply's own record (its intent, its progress): a failure names what was being recorded. */
export async function recording<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    throw new Error(`recording ${what} failed: ${dbFailure(e)}`);
  }
}

/** An apply that ran (and may have been rolled back) but whose revision could not be written. */
export class ApplyNotRecordedError extends Error {
  constructor(
    public report: ApplyReport,
    public reason: string,
  ) {
    super(notRecordedMessage(report, reason));
    this.name = "ApplyNotRecordedError";
  }
}

export function notRecordedMessage(report: ApplyReport, reason: string): string {
  const head = report.ok ? `Applied and verified on ${report.target}` : `Apply FAILED at step ${report.failedStep ?? "?"}: ${report.error ?? "unknown error"}`;
  const kernel = report.ok
    ? "The kernel runs the new configuration (it verified); the next start of Switchyard records it."
    : report.failedStep === "precheck"
      ? "Nothing on the gateway was changed."
      : report.rolledBack
        ? report.restoredExactly
          ? "Kernel rolled back: the gateway is exactly as it was before."
          : "Kernel rolled back, but the rollback left differences: check `switchyard status`."
        : "Not rolled back: the gateway is left as the apply left it.";
  return `${head}. ${kernel} The revision could not be recorded: ${reason}.`;
}
