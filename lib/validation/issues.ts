// Validation issues (zod's, or validateConfig's) as text: one way for every message a user
// reads. Two forms exist and tests assert both: with the field's path ("isps.0.mark: ...")
// where the reader needs to know which field, the message alone where it already names it; the
// CLI names the field by its flag ("--mark: ...") or by its place in the file and the item's
// name ("hosts[1].address (laptop): ...").

export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

export interface IssueFormat {
  /** prefix each message with its dotted path ("isps.0.mark: ..."); default true */
  paths?: boolean;
  /** how the field is named before its message instead (a CLI flag: "--mark"); null: the message alone */
  label?: (path: readonly PropertyKey[]) => string | null;
}

/** One line per issue. */
export function issueLines(issues: readonly IssueLike[], opts: IssueFormat = {}): string[] {
  return issues.map((i) => {
    const label = opts.label ? opts.label(i.path) : opts.paths === false ? null : i.path.map(String).join(".");
    return label === null ? i.message : `${label}: ${i.message}`;
  });
}

/** Every issue on one line, "; " between them. */
export function formatIssues(issues: readonly IssueLike[], opts: IssueFormat = {}): string {
  return issueLines(issues, opts).join("; ");
}

type IssuePath = (string | number)[];

/** ["hosts", 1, "address"] -> "hosts[1].address" */
export function formatPath(path: IssuePath): string {
  if (path.length === 0) return "(the whole file)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** "hosts[1].address (laptop): The address must be inside a LAN subnet (192.168.1.1/24)" */
export function describeIssue(issue: { path: IssuePath; message: string }, input: unknown): string {
  const [collection, index] = issue.path;
  let label = "";
  if (typeof index === "number" && input && typeof input === "object") {
    const list = (input as Record<string, unknown>)[String(collection)];
    const item = Array.isArray(list) ? list[index] : undefined;
    if (item && typeof item === "object") {
      const { name, address } = item as { name?: unknown; address?: unknown };
      const l = typeof name === "string" && name ? name : typeof address === "string" && address ? address : "";
      if (l) label = ` (${l})`;
    }
  }
  return `${formatPath(issue.path)}${label}: ${issue.message}`;
}
