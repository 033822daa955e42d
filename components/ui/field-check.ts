// Checking one field when it is left (blur), in the browser, with the same zod schemas the
// server action uses. The entity is recognised by its fields (every form field must belong to
// one entity schema); forms of no entity (the password form) are not checked on blur.
// Cross-entity rules (duplicates, subnets) need the whole configuration: the server reports
// them, all at once, on submit.
import type { z } from "zod";
import { hostSchema, ispFieldsSchema, natAddressSchema, settingsSchema } from "@/lib/validation/entities";
import { healthFieldsSchema } from "@/lib/validation/health";
import { ipv6FormFieldsSchema } from "@/lib/validation/fields-ipv6";

// the ISP schema is a pipe (address modes): its fields are checked one by one on their own
// (an ISP's health checks are a section of the ISP form with their own schema)
const SCHEMAS = [ispFieldsSchema, hostSchema, natAddressSchema, settingsSchema, healthFieldsSchema, ipv6FormFieldsSchema] as z.ZodObject[];

export function schemaForFields(names: string[]): z.ZodObject | null {
  return SCHEMAS.find((s) => names.every((n) => n in s.shape)) ?? null;
}

/** The field's first problem, or null when it is fine (checkboxes are always fine). */
export function checkField(schema: z.ZodObject, name: string, value: string): string | null {
  const field = schema.shape[name] as z.ZodType | undefined;
  if (!field) return null;
  const r = field.safeParse(value);
  return r.success ? null : (r.error.issues[0]?.message ?? "This value is not valid");
}
