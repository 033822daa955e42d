// What a sender gets, and how a failure to reach a receiver is worded.
import type { NotifyEvent, NotifyKind } from "./kinds";

export const SEND_TIMEOUT_MS = 10_000;

export interface Outgoing {
  kind: NotifyKind;
  title: string;
  body: string;
  at: number;
  channel: string;
  event: NotifyEvent | null;
}

/** fetch's "fetch failed" says nothing: the cause (ECONNREFUSED, a timeout) does. */
export function httpFailure(url: string, e: unknown): Error {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    /* the schema checked it; keep the text */
  }
  if (err.name === "TimeoutError") return new Error(`no answer from ${host} within ${SEND_TIMEOUT_MS / 1000} s`);
  const why = err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
  // fetch refuses some ports outright (SMTP's 25, IRC's 6667...): say so, not just "bad port"
  if (why === "bad port") return new Error(`cannot reach ${host}: its port is one the Fetch standard blocks (a "bad port"); use another`);
  return new Error(`cannot reach ${host}: ${why}`);
}
