// The admin's note on an apply (like a commit message): given with "Apply & verify" or added
// later in History. Plain text, one paragraph or a few lines.
import { z } from "./zod";

export const REVISION_COMMENT_MAX = 500;

export const revisionCommentSchema = z
  .string({ error: "The comment must be text" })
  .max(REVISION_COMMENT_MAX, `Keep the comment under ${REVISION_COMMENT_MAX} characters`)
  // newlines and tabs are fine; other control characters are not text
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), { message: "The comment contains control characters" })
  .transform((s) => s.trim().replace(/\r\n?/g, "\n"));

/** The body of POST /api/apply: {} or { comment }. */
export const applyBodySchema = z.object({ comment: revisionCommentSchema.optional() }).strict();
