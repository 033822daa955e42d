// ?page= of the paged lists (history, audit log, hosts): one schema, so a value from a link or
// a hand-typed URL never reaches a query as NaN, a float or 1e20 (Prisma refused `skip` past
// 2^31 with a 500). A page past the last one is clamped to the last by the data read.
import { z } from "./zod";

/** Far beyond any list the schema allows (10,000 hosts; the audit log is capped), yet a safe `skip`. */
export const MAX_PAGE = 1_000_000;

export const pageParamSchema = z
  .string()
  .trim()
  .regex(/^\d{1,7}$/, "A page is a whole number from 1.")
  .transform(Number)
  .pipe(z.number().int().min(1, "Pages are numbered from 1.").max(MAX_PAGE, `There are at most ${MAX_PAGE} pages.`));

export interface PageAsked {
  /** the page to read: 1 when the parameter is missing or not a page */
  page: number;
  /** why the asked value was not used, for a notice on the page (undefined when it was used or absent) */
  refused?: string;
}

/** ?page= (a string, a repeated parameter or nothing) -> a page number, never an error. */
export function pageFrom(raw: string | string[] | undefined): PageAsked {
  if (raw === undefined) return { page: 1 };
  const one = Array.isArray(raw) ? raw[0] : raw;
  const r = pageParamSchema.safeParse(one);
  if (r.success) return { page: r.data };
  return { page: 1, refused: `There is no page “${String(one).slice(0, 20)}”: ${r.error.issues[0]?.message ?? "not a page number."} Showing page 1.` };
}

/** The page actually shown: the asked one, or the last when the list is shorter. */
export function clampPage(page: number, pages: number): number {
  return Math.min(Math.max(1, page), Math.max(1, pages));
}
