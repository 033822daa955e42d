import { describe, expect, it } from "vitest";
import { parseCli } from "@/lib/cli/args";

describe("switchyard adopt arguments", () => {
  it("reads by default, stages with --stage, takes over only with --stage", () => {
    expect(parseCli(["adopt", "--netns", "ha-gw", "--json"])).toEqual({
      ok: true,
      json: true,
      target: { netns: "ha-gw" },
      command: { name: "adopt", stage: false, takeOver: false },
    });
    expect(parseCli(["adopt", "--host", "--stage", "--take-over"])).toMatchObject({
      ok: true,
      target: { host: true },
      command: { name: "adopt", stage: true, takeOver: true },
    });
    expect(parseCli(["adopt", "--take-over"])).toEqual({ ok: false, json: false, error: "--take-over goes with --stage: adopt --stage --take-over" });
    expect(parseCli(["plan", "--stage"])).toMatchObject({ ok: false, error: "option --stage does not apply to plan" });
    expect(parseCli(["adopt", "now"])).toMatchObject({ ok: false, error: 'unexpected argument "now" for adopt' });
  });
});
