// CI fails when an import points the wrong way (beside the no-shell check, tests/unit/no-shell.test.ts).
// The architecture, as data: app -> components -> lib/engine -> lib/net. Features (lib/adopt,
// lib/lab, lib/health) plug into the core through hooks the core defines (lib/engine/target-hooks.ts),
// so the core never imports them. Static imports, re-exports and import() all count, types too.
import { describe, expect, it } from "vitest";
import path from "node:path";
import { importGraph, importSpecifiers, type Import } from "@/lib/checks/imports";

/** The folders whose imports are read. */
const SCANNED = ["app", "components", "lib", "bin"];

/** Each rule: files under `from` import nothing under any of `mayNotImport`. */
const RULES: { from: string; mayNotImport: string[]; why: string }[] = [
  {
    from: "lib/net/",
    mayNotImport: ["lib/engine/", "lib/health/", "lib/adopt/", "lib/lab/", "lib/notify/", "lib/usage/", "lib/data/", "components/", "app/", "bin/"],
    why: "lib/net is the bottom of the core: typed kernel state, render, observe, plan, apply, verify",
  },
  { from: "lib/engine/", mayNotImport: ["lib/lab/", "components/", "app/", "bin/"], why: "the engine runs the pipeline; the lab plugs in through its hooks" },
  { from: "lib/", mayNotImport: ["components/", "app/", "bin/"], why: "lib is below the pages and the CLI" },
  { from: "components/", mayNotImport: ["app/", "bin/"], why: "components are below the pages and the CLI" },
];

/**
 * Allowed across the rules above: client components call the server actions of app/ (Next's
 * 'use server' entry points, the app's API for forms and buttons).
 */
const ALLOWED: { from: string; to: RegExp; why: string }[] = [{ from: "components/", to: /^app\/.*(\/|-)actions\.ts$/, why: "server actions" }];

/**
 * Known violations, each fixed by its own part of issue 22 (remove the line with the fix):
 * "importing file -> imported file".
 */
const KNOWN = new Set<string>([]);

const root = path.resolve(import.meta.dirname, "../..");

/** "file:line imports specifier (rule)" for every import that breaks a rule. */
function violations(graph: Import[]): string[] {
  return graph.flatMap((i) => {
    const rule = RULES.find((r) => i.file.startsWith(r.from) && r.mayNotImport.some((d) => i.target.startsWith(d)));
    if (!rule || ALLOWED.some((a) => i.file.startsWith(a.from) && a.to.test(i.target))) return [];
    if (KNOWN.has(`${i.file} -> ${i.target}`)) return [];
    const dir = rule.mayNotImport.find((d) => i.target.startsWith(d));
    return [`${i.file}:${i.line} imports ${i.specifier}: ${rule.from} may not import ${dir} (${rule.why})`];
  });
}

describe("dependencies point one way", () => {
  const graph = importGraph(root, SCANNED);

  it("reads the tree's imports", () => {
    expect(graph.length).toBeGreaterThan(500);
    expect(graph.some((i) => i.file === "lib/engine/service.ts" && i.target === "lib/net/render/index.ts")).toBe(true);
  });

  it("no import points the wrong way", () => {
    expect(violations(graph)).toEqual([]);
  });

  it("every known violation still exists (remove the line when fixing it)", () => {
    const edges = new Set(graph.map((i) => `${i.file} -> ${i.target}`));
    expect([...KNOWN].filter((k) => !edges.has(k))).toEqual([]);
  });

  it("names the file, line and import of a violation", () => {
    const bad: Import = { file: "lib/net/apply.ts", line: 3, specifier: "@/lib/lab/lab", target: "lib/lab/lab.ts" };
    expect(violations([bad])).toEqual([`lib/net/apply.ts:3 imports @/lib/lab/lab: lib/net/ may not import lib/lab/ (${RULES[0].why})`]);
    expect(violations([{ ...bad, file: "components/x.tsx", specifier: "@/app/page", target: "app/page.tsx" }])).toHaveLength(1);
    expect(violations([{ ...bad, file: "components/x.tsx", specifier: "@/app/(admin)/hosts/actions", target: "app/(admin)/hosts/actions.ts" }])).toEqual([]);
  });

  it("finds static, type-only, side-effect and dynamic imports and re-exports, not comments or strings", () => {
    const src = [
      'import { a } from "@/lib/a";',
      'import type { B } from "./b";',
      'import "@/lib/c";',
      'const d = await import("@/lib/d");',
      'export { e } from "../e";',
      '// import { f } from "@/lib/f";',
      '/* import { g } from "@/lib/g"; */',
      "const s = \"import { h } from '@/lib/h'\";",
      "import {",
      "  i,",
      '} from "@/lib/i";',
    ].join("\n");
    expect(importSpecifiers(src)).toEqual([
      { line: 1, specifier: "@/lib/a" },
      { line: 2, specifier: "./b" },
      { line: 3, specifier: "@/lib/c" },
      { line: 4, specifier: "@/lib/d" },
      { line: 5, specifier: "../e" },
      { line: 11, specifier: "@/lib/i" },
    ]);
  });
});
