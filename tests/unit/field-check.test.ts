// The browser's blur check finds each form's schema by its fields: the ISP form (whose schema
// is a pipe, for address modes) included. A form it cannot place is simply not checked on blur.
import { describe, expect, it } from "vitest";
import { checkField, schemaForFields } from "@/components/ui/field-check";
import { ispFields } from "@/components/isps/fields";

describe("blur checks", () => {
  it("the ISP form's fields are checked one by one", () => {
    const schema = schemaForFields(ispFields.filter((f) => f.type !== "checkbox").map((f) => f.name));
    expect(schema).not.toBeNull();
    expect(checkField(schema!, "wanInterface", "eth 9")).toMatch(/no spaces/);
    expect(checkField(schema!, "mark", "255")).toMatch(/between 1 and 254/);
    expect(checkField(schema!, "mark", "2")).toBeNull();
  });
  it("a host form field is checked against the host schema", () => {
    const schema = schemaForFields(["name", "address", "mac", "notes"]);
    expect(checkField(schema!, "address", "192.168.1.300")).toMatch(/IPv4/);
  });
});
