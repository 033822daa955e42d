// POST /api/apply: apply the staged configuration and verify it, streaming progress
// as newline-delimited JSON: {type:"step", ...StepEvent} as each step runs, then
// {type:"done", revisionId, report} (or {type:"error", message} when nothing ran).
// The apply runs to its end even if the browser goes away: the result is a revision.
import type { ApplyStreamEvent } from "@/components/board/types";
import { withAuth } from "@/lib/auth/guard";
import { readTextCapped } from "@/lib/http/body";
import { applyStaged } from "@/lib/engine/service";
import "@/lib/lab/apply-hooks"; // on a lab target, the lab plugs into the apply (lib/engine/target-hooks.ts)
import { applyBodySchema, REVISION_COMMENT_MAX } from "@/lib/validation/revision";
import { formatIssues } from "@/lib/validation/issues";

export const dynamic = "force-dynamic";
export const maxDuration = 300;
/** {"comment": "..."}: the comment's characters, each up to 6 bytes as a JSON escape, and room for the rest */
const APPLY_BODY_MAX = REVISION_COMMENT_MAX * 6 + 1024;

export const POST = withAuth(async (actor, request: Request) => {
  // an optional comment, like a commit message; a bad body is refused before anything runs
  const read = await readTextCapped(request, APPLY_BODY_MAX).catch(() => ({
    ok: false as const,
    response: Response.json({ error: "The request body could not be read." }, { status: 400 }),
  }));
  if (!read.ok) return read.response;
  const text = read.text;
  let body: unknown = {};
  try {
    body = text.trim() ? JSON.parse(text) : {};
  } catch {
    return Response.json({ error: "The request body is not JSON." }, { status: 400 });
  }
  const parsed = applyBodySchema.safeParse(body);
  if (!parsed.success) return Response.json({ error: formatIssues(parsed.error.issues, { paths: false }) }, { status: 400 });
  const comment = parsed.data.comment || undefined;
  const encoder = new TextEncoder();
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (e: ApplyStreamEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(e)}\n`));
        } catch {
          open = false; // the reader left; keep applying
        }
      };
      // the lock (lib/engine/lock.ts) is taken inside: a second apply, from here or the CLI, waits then is refused
      applyStaged({ actor, source: "ui", comment, onStep: (step) => send({ type: "step", ...step }) })
        // the journal (every command with its stdin) stays with the revision; the page does not need it
        .then(({ revisionId, report }) => send({ type: "done", revisionId, report: { ...report, journal: [] } }))
        .catch((e: unknown) => send({ type: "error", message: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          if (open) controller.close();
          open = false;
        });
    },
    cancel() {
      open = false;
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      // no-transform: no compression buffering the lines; they must reach the page as they happen
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
});
