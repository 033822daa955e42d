// Probe targets reach ping's command line: whatever is typed into the form, a CLI flag or an
// import file, only plain IPv4 addresses come out of the schema (a list field: spaces and
// commas separate), everything else is refused with a message.
import { describe, expect, it } from "vitest";
import { HOSTILE } from "../fixtures/hostile";
import { IPV4_RE } from "@/lib/net/ipv4";
import { checkedHealthFieldsSchema, healthFieldsSchema } from "@/lib/validation/health";
import { defaultHealthSettings } from "@/lib/health/store";

describe("hostile probe targets", () => {
  const values = [...HOSTILE.ipv4, ...HOSTILE.interface, ...HOSTILE.lanSubnets, "-f", "-i0 198.18.0.1", "198.18.0.1 -c 100000", "--flood"];
  it(`${values.length} hostile values: refused, or nothing but IPv4 addresses`, () => {
    let refused = 0;
    for (const v of values) {
      const r = healthFieldsSchema.shape.targets.safeParse(v);
      if (!r.success) {
        refused++;
        expect(r.error.issues[0]?.message, JSON.stringify(v)).toMatch(/\w{3,}/);
      } else for (const t of r.data) expect(t, JSON.stringify(v)).toMatch(IPV4_RE);
    }
    expect(refused).toBeGreaterThan(values.length - 10);
  });
  it("an option-looking word never passes, even beside a good address", () => {
    expect(healthFieldsSchema.shape.targets.safeParse("198.18.0.1 -f").success).toBe(false);
    expect(healthFieldsSchema.shape.targets.safeParse(["198.18.0.1", "-i0"]).success).toBe(false);
  });
  it("the defaults pass the schema they are checked by everywhere else", () => {
    for (const lab of [true, false]) {
      const { isp: _isp, ...fields } = defaultHealthSettings({ name: "ISP1" }, { lab });
      expect(checkedHealthFieldsSchema.safeParse(fields).success).toBe(true);
    }
  });
});
