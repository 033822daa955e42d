// One way to turn validation issues into text (lib/validation/issues.ts), in the forms users read.
import { describe, expect, it } from "vitest";
import { describeIssue, formatIssues, issueLines } from "@/lib/validation/issues";

const issues = [
  { path: ["isps", 0, "mark"], message: "Firewall mark 1 is already used by fiber" },
  { path: [], message: "The configuration has no ISP" },
];

describe("validation issues as text", () => {
  it("with the field's dotted path, or the message alone", () => {
    expect(formatIssues(issues)).toBe("isps.0.mark: Firewall mark 1 is already used by fiber; : The configuration has no ISP");
    expect(issueLines(issues, { paths: false })).toEqual(["Firewall mark 1 is already used by fiber", "The configuration has no ISP"]);
  });

  it("with the CLI flag that set the field, and the message alone where no field is at fault", () => {
    const flag = (path: readonly PropertyKey[]) => (path.length ? `--${String(path.at(-1))}` : null);
    expect(issueLines(issues, { label: flag })).toEqual(["--mark: Firewall mark 1 is already used by fiber", "The configuration has no ISP"]);
  });

  it("with the place in an imported file and the item's name", () => {
    const input = { isps: [{ name: "fiber" }] };
    expect(describeIssue({ path: ["isps", 0, "mark"], message: "taken" }, input)).toBe("isps[0].mark (fiber): taken");
    expect(describeIssue({ path: [], message: "empty" }, input)).toBe("(the whole file): empty");
  });
});
