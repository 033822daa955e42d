// The monthly cap of a metered ISP: one schema for the ISP form, the CLI (`switchyard cap set`),
// the import file (usageCaps) and the database row.
//   capBytes    the month's allowance: a number of bytes, or "50GB", "1.5 TB", "500 MiB"
//               (GB = 10^9 bytes as ISPs count, GiB = 2^30)
//   warnPct     percentages of the cap at which a warning is sent once a month ("80,90,100")
//   lastResort  above 100 %: the ISP is used only when no other ISP is up
import { z } from "./zod";

const UNITS: Record<string, number> = {
  "": 1,
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

/** "50GB" / "1.5 TiB" / "1000" -> bytes; null when it is not a size. Pure. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d{1,15}(?:\.\d{1,6})?)\s*([a-zA-Z]{0,3})\s*$/.exec(text);
  if (!m) return null;
  const unit = UNITS[m[2].toUpperCase()];
  if (unit === undefined) return null;
  return Math.round(Number(m[1]) * unit);
}

const MAX_CAP = 2 ** 53; // bytes are stored as doubles

export const capBytes = z.preprocess(
  (v) => (typeof v === "string" ? (parseSize(v) ?? v) : v),
  z
    .number({ error: "Enter the monthly allowance, like 50GB, 1.5TB or 500GiB" })
    .int("Enter a whole number of bytes, or a size like 50GB")
    .min(1_000_000, "A cap must be at least 1 MB")
    .max(MAX_CAP, "That cap is larger than Switchyard can count (8 PiB)"),
);

export const warnPercents = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v.trim() === ""
        ? []
        : v
            .split(/[\s,]+/)
            .filter(Boolean)
            .map((s) => (/^\d{1,3}$/.test(s) ? Number(s) : s))
      : v,
  z
    .array(
      z
        .number({ error: "Each warning is a whole percentage, like 80" })
        .int("Each warning is a whole percentage, like 80")
        .min(1, "Warnings are between 1 and 200 %")
        .max(200, "Warnings are between 1 and 200 %"),
    )
    .max(10, "At most 10 warning levels")
    .refine((a) => new Set(a).size === a.length, "Each percentage only once")
    .transform((a) => [...a].sort((x, y) => x - y)),
);

/** A cap's fields without the ISP: the form's fieldset, `cap set`, an import file's entry. */
export const capFieldsSchema = z
  .object({
    capBytes,
    warnPct: warnPercents.default([80, 90, 100]),
    lastResort: z.boolean({ error: "Choose whether the ISP is kept as a last resort above its cap" }).default(false),
  })
  .strict();

export type CapFields = z.output<typeof capFieldsSchema>;

/** The fields in the order the form, the CLI and the docs list them. */
export const CAP_FIELDS = ["capBytes", "warnPct", "lastResort"] as const satisfies readonly (keyof CapFields)[];
