// The import graph of the tree, for the dependency-direction check (tests/unit/dependency-direction.test.ts).
// A small reader of our own TS sources, not a TypeScript parser: it finds static `import ... from "x"`,
// `export ... from "x"`, side-effect `import "x"` and `import("x")`, with comments and other strings
// left out, and resolves "@/..." and relative specifiers to files of the tree.
// Package imports (react, next, node:fs...) are not part of the graph.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { sourceFiles } from "./no-shell";

export interface Import {
  /** the importing file, relative to the root (lib/engine/service.ts) */
  file: string;
  line: number;
  /** as written in the source */
  specifier: string;
  /** the imported file, relative to the root (lib/lab/lab.ts) */
  target: string;
}

const EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".mjs", "/index.ts", "/index.tsx"];

/** A string here is a module specifier: it follows `from`, `import` or `import(`. */
const SPECIFIER_BEFORE = /(?<![.\w])(from|import)\s*(\(\s*)?$/;

/**
 * Comments and the text of strings that are not module specifiers blanked (line breaks kept,
 * so line numbers still hold): a "//" in a string is no comment, an import in a string no import.
 */
function codeOnly(src: string): string {
  let out = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "/" && src[i + 1] === "/") {
      while (i < src.length && src[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop - 1;
    } else if (c === '"' || c === "'" || c === "`") {
      // a quote in a regular expression opens no string past its line: only a template runs over lines
      let j = i + 1;
      while (j < src.length && src[j] !== c && (c === "`" || src[j] !== "\n")) j += src[j] === "\\" ? 2 : 1;
      const text = src.slice(i, j + 1);
      out += SPECIFIER_BEFORE.test(out.slice(-40)) ? text : text.replace(/[^\n]/g, " ");
      i = j;
    } else out += c;
  }
  return out;
}

// `from "x"` ends every static import and re-export; `import "x"` is a side-effect import; `import("x")` a dynamic one
const SPECIFIERS = [/\bfrom\s*["']([^"'\n]+)["']/g, /(?<![.\w])import\s*["']([^"'\n]+)["']/g, /(?<![.\w])import\s*\(\s*["']([^"'\n]+)["']\s*\)/g];

/** The specifiers a source imports, with their line numbers. */
export function importSpecifiers(src: string): { line: number; specifier: string }[] {
  const code = codeOnly(src);
  const lineAt = (index: number) => code.slice(0, index).split("\n").length;
  const found = SPECIFIERS.flatMap((re) => [...code.matchAll(re)].map((m) => ({ line: lineAt(m.index), specifier: m[1] })));
  return found.sort((a, b) => a.line - b.line);
}

/** "@/lib/x" or "./x" from `file` -> the file of the tree it names; null for a package. */
export function resolveSpecifier(root: string, file: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.join(path.posix.dirname(file), specifier);
  else return null;
  if (/\.(ts|tsx|mts|js|mjs|json|css)$/.test(base) && existsSync(path.join(root, base))) return base;
  for (const ext of EXTENSIONS) if (existsSync(path.join(root, base + ext))) return base + ext;
  return base; // not found on disk: still judged by its folder
}

/** Every import between files of the tree under the given folders. */
export function importGraph(root: string, folders: string[]): Import[] {
  const inScope = (f: string) => folders.some((d) => f.startsWith(`${d}/`));
  return sourceFiles(root)
    .filter(inScope)
    .flatMap((file) =>
      importSpecifiers(readFileSync(path.join(root, file), "utf8")).flatMap(({ line, specifier }) => {
        const target = resolveSpecifier(root, file, specifier);
        return target === null ? [] : [{ file, line, specifier, target }];
      }),
    );
}
