// Validation issues (zod's, or validateConfig's) as text: one way for every message a user
// reads. Two forms exist and tests assert both: with the field's path ("isps.0.mark: ...")
// where the reader needs to know which field, the message alone where it already names it.

export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

export interface IssueFormat {
  /** prefix each message with its dotted path ("isps.0.mark: ..."); default true */
  paths?: boolean;
}

/** One line per issue. */
export function issueLines(issues: readonly IssueLike[], opts: IssueFormat = {}): string[] {
  return issues.map((i) => (opts.paths === false ? i.message : `${i.path.map(String).join(".")}: ${i.message}`));
}

/** Every issue on one line, "; " between them. */
export function formatIssues(issues: readonly IssueLike[], opts: IssueFormat = {}): string {
  return issueLines(issues, opts).join("; ");
}
