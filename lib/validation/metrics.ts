// The metrics token's name, as the Settings page, the CLI and nothing else take it.
import { z } from "./zod";

export const metricsTokenName = z
  .string({ error: "Enter a name" })
  .trim()
  .min(1, "Enter a name")
  .max(40, "Use at most 40 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "Start with a letter or digit; use letters, digits, spaces, '.', '-' or '_'");

export const metricsTokenForm = z.object({ name: metricsTokenName });

/** What a scraper sends: "Bearer <token>", the token as tokens.ts makes them (base64url, no padding). */
export const bearerToken = z.string().regex(/^Bearer swm_[A-Za-z0-9_-]{43}$/);
