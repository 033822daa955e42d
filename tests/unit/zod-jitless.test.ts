// zod v4 probes `new Function("")` before it compiles an object parser. Under the pages'
// Content-Security-Policy (no 'unsafe-eval') that probe is a blocked eval in every form page's
// console. lib/validation/zod.ts sets jitless before any schema is built; every value import of
// zod goes through it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
function walk(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? (e.name === "node_modules" ? [] : walk(`${dir}/${e.name}`)) : /\.(ts|tsx|mjs)$/.test(e.name) ? [`${dir}/${e.name}`] : [],
    );
}

describe("zod without eval", () => {
  it("no module but lib/validation/zod.ts imports a value from zod", () => {
    const direct = ["app", "components", "lib", "bin", "scripts"]
      .flatMap(walk)
      .filter((f) => f !== "lib/validation/zod.ts")
      .filter((f) => /^import\s+(?!type\b)[^;]*from\s+["']zod(\/[^"']*)?["']/m.test(fs.readFileSync(path.join(root, f), "utf8")));
    expect(direct).toEqual([]);
  });

  it("parsing the forms' schemas never constructs a Function (the CSP probe)", async () => {
    const real = globalThis.Function;
    let constructed = 0;
    globalThis.Function = new Proxy(real, {
      construct: (t, args) => {
        constructed++;
        return Reflect.construct(t, args);
      },
      apply: (t, self, args) => {
        constructed++;
        return Reflect.apply(t, self, args);
      },
    });
    try {
      const { hostSchema, ispSchema } = await import("@/lib/validation");
      for (let i = 0; i < 3; i++) {
        hostSchema.safeParse({ name: "laptop", address: "192.168.1.20", isp: "ISP1" });
        ispSchema.safeParse({ name: "ISP1" });
      }
    } finally {
      globalThis.Function = real;
    }
    expect(constructed).toBe(0);
  });
});
