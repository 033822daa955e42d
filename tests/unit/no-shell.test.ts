// CI fails when code outside the executor starts a process, or anything uses a shell.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { checkSource, checkTree, EXECUTOR, sourceFiles } from "@/lib/checks/no-shell";

const root = path.resolve(import.meta.dirname, "../..");

describe("no shell, one executor", () => {
  it("the tree has no violations", () => {
    expect(sourceFiles(root).length).toBeGreaterThan(50);
    expect(checkTree(root)).toEqual([]);
  });

  it("the executor runs argument arrays without a shell", () => {
    const src = readFileSync(path.join(root, EXECUTOR), "utf8");
    expect(src).toMatch(/shell:\s*false/);
    expect(checkSource(EXECUTOR, src)).toEqual([]);
  });

  it.each([
    // (samples are split so that a plain grep of the tree does not mistake them for real use)
    [`import { exec } from "node:${"child"}_process";`, "imports the child-process module"],
    [`const cp = require("${"child"}_process");`, "imports the child-process module"],
    ['import { execa } from "execa";', "imports a process library"],
    ["spawn('ip', ['rule'])", "starts a process"],
    ["exec" + "Sync(`ip rule add ${x}`)", "starts a process"],
    ["await exec(cmd)", "starts a process"],
    ["run(t, 'ip', args, { shell" + ": true })", "uses a shell"],
    ["execa" + "Command('ip rule')", "runs a command string"],
    ['run(HOST, "sh", ["-c", "ip rule"])', "runs a command string through a shell"],
  ])("flags %s", (line, rule) => {
    expect(checkSource("app/example.ts", line).map((v) => v.rule)).toContain(rule);
  });

  it("does not flag a regular expression's exec, or a shell in the executor's comments", () => {
    expect(checkSource("lib/x.ts", "const m = /a/.exec(s); re.exec(t);")).toEqual([]);
    expect(checkSource(EXECUTOR, "// never a shell" + ": true")).toEqual([]);
  });

  it("the executor itself may not use a shell either", () => {
    expect(checkSource(EXECUTOR, "execa(bin, args, { shell" + ": true })")).toHaveLength(1);
  });
});
