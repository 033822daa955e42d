// lib/failpoints.ts: no-ops unless a test asks; the pause and the forced fault as the crash and rollback tests use them.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { failpoint, forcedFault } from "@/lib/failpoints";

describe("failpoints", () => {
  it("a pause point returns at once unless the environment names it, with a file", async () => {
    await failpoint("routing", {});
    await failpoint("routing", { SWITCHYARD_TEST_PAUSE_AFTER: "firewall", SWITCHYARD_TEST_PAUSE_FILE: "/nonexistent/x" });
    await failpoint("routing", { SWITCHYARD_TEST_PAUSE_AFTER: "routing" });
  });

  it("pauses at the named point, says where, and with RESUME goes on once the file is gone", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sy-failpoint-"));
    const file = path.join(dir, "pause");
    try {
      let done = false;
      const p = failpoint("cleanup", { SWITCHYARD_TEST_PAUSE_AFTER: "cleanup", SWITCHYARD_TEST_PAUSE_FILE: file, SWITCHYARD_TEST_PAUSE_RESUME: "1" }).then(
        () => (done = true),
      );
      // (written, not only created: writeFile opens the file before it writes)
      while (!existsSync(file) || !readFileSync(file, "utf8")) await new Promise((r) => setTimeout(r, 10));
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ pid: process.pid, step: "cleanup" });
      await new Promise((r) => setTimeout(r, 120));
      expect(done).toBe(false);
      rmSync(file);
      await p;
      expect(done).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the forced fault: the option's, else the environment's, else none; a step that cannot fail is refused", () => {
    expect(forcedFault(undefined, {})).toBeUndefined();
    expect(forcedFault("firewall", { SWITCHYARD_TEST_FAIL_AT: "routing" })).toBe("firewall");
    expect(forcedFault(undefined, { SWITCHYARD_TEST_FAIL_AT: "verify" })).toBe("verify");
    expect(() => forcedFault(undefined, { SWITCHYARD_TEST_FAIL_AT: "conntrack" })).toThrow(
      /SWITCHYARD_TEST_FAIL_AT must be one of routing, firewall, cleanup, takeover, verify/,
    );
  });
});
