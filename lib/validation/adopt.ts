// The "Import from this gateway" form: stage the proposal the page showed, with or without
// take over. The proposal itself is read again on the server (never taken from the form);
// the fingerprint says it is still the one the admin looked at.
import { z } from "./zod";

export const adoptFormSchema = z
  .object({
    takeover: z.literal("on", { error: "Take over is a checkbox" }).optional(),
    fingerprint: z.string({ error: "The page is missing its proposal: reload it" }).regex(/^[0-9a-f]{64}$/, "The page is missing its proposal: reload it"),
  })
  .strict();
