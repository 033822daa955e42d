// Schemas for the values of the `switchyard` command line's options. The namespace rule is
// the executor's own (lib/net/exec.ts), the lab prefix rule the lab's (lib/lab/topology.ts):
// a value the CLI accepts is one the code behind it accepts too.
import { z } from "./zod";
import { PREFIX_RE } from "@/lib/lab/topology";

/** The same rule as the executor's NS_NAME: what `ip netns exec NAME` is ever given. */
export const NETNS_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const netnsName = z
  .string()
  .regex(NETNS_NAME_RE, "is not a valid network namespace name (1-64 letters, digits, '.', '-' or '_', starting with a letter or digit)");

export const labPrefix = z.string().regex(PREFIX_RE, "is not a valid lab prefix (a letter, then up to 7 letters or digits, e.g. sy or tcli1)");

/** A decimal string that is a whole number from 1 up, as a number. */
function positiveInt(what: string, max: number) {
  return z
    .string()
    .regex(/^[1-9]\d{0,9}$/, `must be ${what} (a whole number from 1 up)`)
    .transform(Number)
    .refine((n) => n <= max, `must be at most ${max}`);
}

export const revisionNumber = positiveInt("a revision number", 2 ** 31 - 1);
export const listLimit = positiveInt("a count", 10_000);

/** A path to read or write, or "-" for stdin/stdout. */
export const filePath = z
  .string()
  .min(1, "needs a file name")
  .refine((s) => !s.includes("\0"), "must not contain a NUL byte");
