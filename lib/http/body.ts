// Request bodies of the route handlers, read with a ceiling. `request.text()` reads whatever a
// client sends: a 200 MB POST to /api/apply took the server to 900 MB. The stream is read
// chunk by chunk and dropped at the ceiling (a declared Content-Length above it is refused
// before reading), with 413 and a sentence. server.mjs refuses a declared length above
// REQUEST_BODY_MAX for every path; Next caps server actions (next.config.js serverActions).

/** The ceiling for any request body server.mjs passes on (server actions' bodySizeLimit is the same). */
export const REQUEST_BODY_MAX = 256 * 1024;

export type CappedBody = { ok: true; text: string } | { ok: false; response: Response };

const tooLarge = (max: number) => Response.json({ error: `The request body is too large: at most ${max} bytes.` }, { status: 413 });

/** The body as UTF-8 text, or a 413 answer once it is past `max` bytes (nothing more is read). */
export async function readTextCapped(request: Request, max: number): Promise<CappedBody> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > max) return { ok: false, response: tooLarge(max) };
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, response: tooLarge(max) };
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}
