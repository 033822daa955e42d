// The no-shell rule, as a check CI runs (tests/unit/no-shell.test.ts):
// - only lib/net/exec.ts may start a process (child_process, execa, spawn, exec, fork...);
// - nothing anywhere may use a shell or a command string (a shell option, a command-string API, "sh -c").
// Files are read from disk (no `git ls-files` process); node_modules, build output and the
// generated Prisma client are skipped.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const EXECUTOR = "lib/net/exec.ts";
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const SKIP_DIRS = new Set(["node_modules", ".next", ".git", "generated", "test-results", "playwright-report", "data"]);

export interface Violation {
  file: string;
  line: number;
  rule: string;
  text: string;
}

const SPAWNERS: [RegExp, string][] = [
  [/["'](node:)?child[_]process["']/, "imports the child-process module"],
  [/from\s+["'](execa|cross-spawn|shelljs|zx|node-pty)["']|require\(\s*["'](execa|cross-spawn|shelljs|zx)["']\s*\)/, "imports a process library"],
  [/(?<![.\w])(spawn|spawnSync|execSync|execFile|execFileSync|fork)\s*\(/, "starts a process"],
  [/(?<![.\w])exec\s*\(/, "starts a process"],
  [/\b(Bun\.spawn|Deno\.run|process\.binding)\b/, "starts a process"],
];
const SHELLS: [RegExp, string][] = [
  [/\bshell\s*:\s*(true|["'`])/, "uses a shell"],
  [/\bexeca(Command|CommandSync)\b/, "runs a command string"],
  [/["'](\/bin\/)?(ba|da|z)?sh["']\s*,\s*\[?\s*["']-c["']/, "runs a command string through a shell"],
];

export function checkSource(file: string, text: string): Violation[] {
  const out: Violation[] = [];
  const rules = file === EXECUTOR ? SHELLS : [...SPAWNERS, ...SHELLS];
  text.split("\n").forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, "");
    for (const [re, rule] of rules) if (re.test(code)) out.push({ file, line: i + 1, rule, text: line.trim() });
  });
  return out;
}

export function sourceFiles(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...sourceFiles(root, rel));
    } else if (CODE.test(e.name) && !e.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** Every violation in the tree. This file and its test are left out: they name the patterns they look for. */
export function checkTree(root: string): Violation[] {
  return sourceFiles(root)
    .filter((f) => f !== "lib/checks/no-shell.ts" && f !== "tests/unit/no-shell.test.ts")
    .flatMap((f) => checkSource(f, readFileSync(path.join(root, f), "utf8")));
}
