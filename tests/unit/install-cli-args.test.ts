// The installer's and the boot apply's options: `install`, `uninstall`, `apply --wait-links S`.
import { describe, expect, it } from "vitest";
import { parseCli } from "@/lib/cli/args";

const ok = (...argv: string[]) => {
  const r = parseCli(argv);
  if (!r.ok) throw new Error(r.error);
  return r.command;
};
const err = (...argv: string[]) => {
  const r = parseCli(argv);
  return r.ok ? null : r.error;
};

describe("install, uninstall and --wait-links", () => {
  it("parses them", () => {
    expect(ok("install")).toEqual({ name: "install", root: "/", start: true });
    expect(ok("install", "--root", "/tmp/stage", "--no-start")).toEqual({ name: "install", root: "/tmp/stage", start: false });
    expect(ok("uninstall", "--purge")).toEqual({ name: "uninstall", root: "/", start: true, purge: true });
    expect(ok("apply", "--last-good", "--host", "--wait-links", "90")).toMatchObject({ name: "apply", lastGood: true, waitLinksS: 90 });
    expect(ok("apply")).not.toHaveProperty("waitLinksS");
  });

  it("refuses bad values at the option", () => {
    expect(err("install", "--root", "stage")).toBe('--root: "stage" must be an absolute path');
    expect(err("install", "--root", "/tmp/../etc")).toContain("must not contain ..");
    expect(err("install", "--host")).toContain("install takes no target");
    expect(err("install", "--purge")).toBe("option --purge does not apply to install");
    expect(err("apply", "--wait-links", "-1")).toContain("must be a number of seconds");
    expect(err("apply", "--wait-links", "1e3")).toContain("must be a number of seconds");
    expect(err("apply", "--wait-links", "3601")).toContain("at most 3600");
    expect(err("plan", "--wait-links", "5")).toBe("option --wait-links does not apply to plan");
  });
});
