"use client";
// A revision's comment (like a commit message), editable afterwards.
import { useActionState } from "react";
import { saveRevisionCommentAction, type CommentState } from "@/app/(admin)/history/actions";
import { REVISION_COMMENT_MAX } from "@/lib/validation/revision";

export function CommentForm({ id, comment }: { id: number; comment: string | null }) {
  const [state, action, pending] = useActionState<CommentState, FormData>(saveRevisionCommentAction.bind(null, id), { comment: comment ?? "" });
  return (
    <form action={action} className="space-y-2">
      <label htmlFor="revision-comment" className="block text-sm font-semibold">
        Comment
      </label>
      <textarea
        id="revision-comment"
        name="comment"
        rows={2}
        maxLength={REVISION_COMMENT_MAX}
        defaultValue={state.comment ?? ""}
        key={state.comment}
        aria-describedby="revision-comment-msg"
        aria-invalid={state.error ? true : undefined}
        placeholder="Why this apply: e.g. ISP2 maintenance until Friday"
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950"
      />
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-700 dark:bg-slate-800"
        >
          Save comment
        </button>
        <p
          id="revision-comment-msg"
          aria-live="polite"
          className={`text-sm ${state.error ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}`}
        >
          {state.error ?? (state.ok ? "Comment saved." : "")}
        </p>
      </div>
    </form>
  );
}
