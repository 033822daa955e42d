// Golden pairs for the parsers (lib/net/parse): every tests/fixtures/parse/<command>/<case>.txt is
// output captured from the real tools; <case>.json beside it is what the parser must make of it.
// `UPDATE_GOLDEN=1 npx vitest run tests/unit/parse-<command>.test.ts` rewrites the .json files
// (read the diff before committing them).
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../fixtures/parse");

export const parseFixture = (command: string, name: string) => fs.readFileSync(path.join(ROOT, command, name), "utf8");

/** One test per captured case of `command`: parse(text, case name), made plain JSON, equals the golden .json. */
export function goldenPairs(command: string, parse: (text: string, name: string) => unknown) {
  const dir = path.join(ROOT, command);
  const cases = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => f.slice(0, -4))
    .sort();
  it(`has captured cases (${command})`, () => expect(cases.length).toBeGreaterThan(0));
  for (const name of cases) {
    it(`${command}/${name}.txt -> ${name}.json`, () => {
      const got = JSON.parse(JSON.stringify(parse(fs.readFileSync(path.join(dir, `${name}.txt`), "utf8"), name)));
      const golden = path.join(dir, `${name}.json`);
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, `${JSON.stringify(got, null, 2)}\n`);
      expect(got).toEqual(JSON.parse(fs.readFileSync(golden, "utf8")));
    });
  }
}
