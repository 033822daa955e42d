// The rt_tables.d file: written whole (beside, then renamed over), never half.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rtTablesText, writeRtTables } from "@/lib/engine/rt-tables-file";

describe("writeRtTables", () => {
  it("replaces the file with the new names and leaves no temporary file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-ha-rt-"));
    const file = path.join(dir, "rt_tables.d", "switchyard.conf");
    await writeRtTables([{ number: 100, name: "ISP1" }], file);
    await writeRtTables(
      [
        { number: 100, name: "ISP1" },
        { number: 200, name: "ISP2" },
      ],
      file,
    );
    expect(await readFile(file, "utf8")).toBe(
      rtTablesText([
        { number: 100, name: "ISP1" },
        { number: 200, name: "ISP2" },
      ]),
    );
    expect(await readdir(path.dirname(file))).toEqual(["switchyard.conf"]);
    await rm(dir, { recursive: true, force: true });
  });
});
