// Schemas for the installer's and the boot apply's options (`switchyard install --root DIR`,
// `apply --wait-links S`).
import { z } from "./zod";

/** Seconds the boot apply waits for the WAN links: 0 (do not wait) to one hour. */
export const waitLinksSeconds = z
  .string()
  .regex(/^\d{1,4}$/, "must be a number of seconds (0 to 3600)")
  .transform(Number)
  .refine((n) => n <= 3600, "must be at most 3600 seconds");

/** The staging root of an install: an absolute path, no NUL, no "..", not a bare "/"-only trick. */
export const installRoot = z
  .string()
  .min(1, "needs a directory")
  .refine((s) => s.startsWith("/"), "must be an absolute path")
  .refine((s) => !s.includes("\0"), "must not contain a NUL byte")
  .refine((s) => !s.split("/").includes(".."), "must not contain ..");
