// Plain HTTP against the running server, the way a tester with curl talks to it: any Host,
// any header, and a chosen source address on loopback (127.0.0.x), so that login throttling
// (keyed on the socket address) can be tried as several clients.
import http from "node:http";

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer = "",
  localAddress?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers, setHost: false, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The hidden inputs of the page's forms (React's $ACTION_* fields for a form posted without JavaScript). */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    if (!name) continue;
    out[decode(name)] = decode(/\bvalue="([^"]*)"/.exec(m[0])?.[1] ?? "");
  }
  return out;
}

/** A multipart/form-data body, as a browser without JavaScript posts a form. */
export function multipart(fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = `----hw${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return { body: Buffer.from(`${parts.join("")}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}
