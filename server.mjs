// Switchyard's HTTP server: Next.js behind one gate that every request passes.
// - Host must be one the admin allows (DNS rebinding: a hostile page whose name
//   resolves to this router cannot talk to it under its own name).
// - A state-changing request must carry an Origin that is this very site
//   (cross-site request forgery); a missing Origin is refused too.
// - The client address is taken from the socket; X-Forwarded-For only from a
//   trusted proxy. Login throttling keys on it, so a spoofed header cannot reset it.
//   HOST, PORT                      where to listen (default 127.0.0.1:3000)
//   SWITCHYARD_ALLOWED_HOSTS        extra host names, comma-separated (e.g. the router's LAN name and address)
// - No page, RSC payload or API answer without a valid session: the session is checked
//   here, before Next renders anything (a page also checks it itself). Only the login and
//   first-run pages, their assets and /api/health are public.
// - Security headers on every answer (CSP with frame-ancestors 'none', nosniff, Referrer-Policy).
//   SWITCHYARD_TRUSTED_PROXIES      proxy addresses whose X-Forwarded-For / -Proto are believed
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import next from "next";

const hostname = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
const list = (v) =>
  (v || "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
const allowedHosts = new Set(["localhost", "127.0.0.1", "[::1]", ...list(process.env.SWITCHYARD_ALLOWED_HOSTS)]);
if (hostname !== "0.0.0.0" && hostname !== "::") allowedHosts.add(hostname.includes(":") ? `[${hostname}]` : hostname);
const trustedProxies = new Set(list(process.env.SWITCHYARD_TRUSTED_PROXIES));

/** "name", "name:port" or "[v6]:port" -> the name without the port; null when anything else follows the name */
export function hostOnly(host) {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(String(host || "").toLowerCase());
  if (!m || (m[2] !== undefined && Number(m[2]) > 65535)) return null;
  return m[1];
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
/** No request body above this is passed to Next (as lib/http/body.ts REQUEST_BODY_MAX and next.config.js serverActions.bodySizeLimit). */
export const REQUEST_BODY_MAX = 256 * 1024;

export function gate(req, allowed = allowedHosts, proxies = trustedProxies) {
  const host = req.headers.host;
  const name = hostOnly(host);
  if (!host || !name || !allowed.has(name))
    return { status: 421, message: `Host ${host ?? "(none)"} is not allowed here. Add it to SWITCHYARD_ALLOWED_HOSTS.` };
  const socketIp = (req.socket.remoteAddress || "").replace(/^::ffff:/, "");
  const viaProxy = proxies.has(socketIp);
  const forwarded = viaProxy
    ? String(req.headers["x-forwarded-for"] || "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .at(-1)
    : undefined;
  req.headers["x-switchyard-client-ip"] = forwarded || socketIp || "unknown";
  if (!viaProxy) delete req.headers["x-forwarded-proto"];
  // a declared length is refused before a byte is read; a body without one (chunked) is refused
  // outright: browsers declare the length of every form and fetch body, and Next answered a server
  // action's chunked body past its limit with a 500 only after reading it
  if (Number(req.headers["content-length"]) > REQUEST_BODY_MAX)
    return { status: 413, message: `The request body is too large: at most ${REQUEST_BODY_MAX} bytes.` };
  if (req.headers["transfer-encoding"] !== undefined && !SAFE.has(req.method || "GET"))
    return { status: 411, message: `A request body needs a Content-Length (at most ${REQUEST_BODY_MAX} bytes).` };
  if (!SAFE.has(req.method || "GET")) {
    const origin = req.headers.origin;
    let originHost;
    try {
      originHost = origin ? new URL(origin).host.toLowerCase() : undefined;
    } catch {
      originHost = undefined;
    }
    if (!originHost || originHost !== host.toLowerCase()) return { status: 403, message: "Cross-site request refused: the Origin header must be this site." };
    if (req.headers["sec-fetch-site"] === "cross-site") return { status: 403, message: "Cross-site request refused." };
  }
  return null;
}

// Next's scripts are inline (no nonces), so 'unsafe-inline' for scripts; nothing from any other origin.
export const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

/**
 * Files of public/ a visitor without a session may fetch: the web app manifest and its icons
 * (a phone asks for them outside the session), robots.txt. Named one by one: public/ holds nothing else.
 */
export const PUBLIC_FILES = new Set([
  "/robots.txt",
  "/manifest.webmanifest",
  "/icon-192.png",
  "/icon-512.png",
  "/icon-maskable-512.png",
  "/apple-touch-icon.png",
]);

/**
 * Paths any visitor may fetch: the login and first-run pages, the assets they load, liveness,
 * the public files above, and /metrics, whose handler checks its own bearer token (a scraper has no session).
 */
export function isPublicPath(pathname) {
  return (
    pathname === "/login" ||
    pathname === "/setup" ||
    pathname === "/api/health" ||
    pathname === "/favicon.ico" ||
    pathname === "/metrics" ||
    PUBLIC_FILES.has(pathname) ||
    pathname.startsWith("/_next/static/")
  );
}

const root = path.dirname(fileURLToPath(import.meta.url));
const SESSION_COOKIE = "swyd_session";
const minutes = (env, dflt) => (Number(env) > 0 ? Number(env) : dflt) * 60_000;
const IDLE_MS = minutes(process.env.SWITCHYARD_SESSION_IDLE_MINUTES, 30);
const ABSOLUTE_MS = minutes(process.env.SWITCHYARD_SESSION_MAX_MINUTES, 12 * 60);

/** The SQLite file DATABASE_URL names, relative paths taken from the repository root (as lib/db-url.ts). */
export function databaseFile(url = process.env.DATABASE_URL || "file:data/switchyard.db") {
  if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be a SQLite file: URL, got "${url}"`);
  return path.resolve(root, url.slice("file:".length));
}

function cookieValue(header, name) {
  for (const part of String(header || "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

const toMs = (v) => (typeof v === "number" ? v : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(String(v)) ? String(v) : `${String(v).replace(" ", "T")}Z`));

/** A checker of session cookies against the Session table (read only; expiry as in lib/auth/session.ts). */
export function sessionChecker(file) {
  let stmt;
  return (cookieHeader, now = Date.now()) => {
    const token = cookieValue(cookieHeader, SESSION_COOKIE);
    if (!token || token.length > 100) return false;
    stmt ??= new Database(file, { readonly: true, fileMustExist: true }).prepare('SELECT "createdAt", "lastSeenAt" FROM "Session" WHERE "id" = ?');
    const row = stmt.get(createHash("sha256").update(token).digest("hex"));
    if (!row) return false;
    return now - toMs(row.lastSeenAt) <= IDLE_MS && now - toMs(row.createdAt) <= ABSOLUTE_MS;
  };
}

/**
 * The login gate, before Next: null to pass the request on, else the answer. Server actions
 * (a POST with a Next-Action header) pass: each one checks the session itself and sends an
 * expired session to the login page instead of failing.
 */
export function loginGate(req, hasSession) {
  const url = new URL(req.url || "/", "http://x");
  if (url.pathname.startsWith("/_next/image")) return { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: "Not found\n" };
  if (isPublicPath(url.pathname)) return null;
  if (req.method === "POST" && req.headers["next-action"]) return null;
  if (hasSession(req.headers.cookie)) return null;
  const rsc = req.headers.rsc !== undefined || url.searchParams.has("_rsc") || req.headers["next-router-prefetch"] !== undefined;
  if ((req.method === "GET" || req.method === "HEAD") && !rsc && !url.pathname.startsWith("/api/")) {
    const nextPath = url.pathname + url.search;
    return {
      status: 307,
      headers: { location: nextPath === "/" ? "/login" : `/login?next=${encodeURIComponent(nextPath)}`, "cache-control": "no-store" },
      body: "",
    };
  }
  return { status: 401, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: '{"error":"not logged in"}' };
}

/**
 * A login form post (without JavaScript) from an address the throttle has locked: answered here
 * at once, before Next runs the action and renders the login page again, which costs far more
 * than the refusal (a flood of them held every other login up). lib/auth/throttle.ts publishes
 * the check once it has run, and counts the refusal in the audit log. A post from the page's
 * JavaScript (Next-Action header) goes on to the action, which answers from the same memory.
 */
export function lockedLoginPost(req, lockOf = globalThis.switchyardAddressLock) {
  if (req.method !== "POST" || req.headers["next-action"] !== undefined || typeof lockOf !== "function") return null;
  if (new URL(req.url || "/", "http://x").pathname !== "/login") return null;
  const ms = lockOf(String(req.headers["x-switchyard-client-ip"] || ""));
  if (!ms) return null;
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Log in</title></head><body><main><h1>Log in</h1><p role="alert">Too many failed logins. Try again in ${Math.ceil(ms / 60_000)} minute(s).</p><p><a href="/login">Back to the login page</a></p></main></body></html>\n`;
  return {
    status: 429,
    headers: { "content-type": "text/html; charset=utf-8", "retry-after": String(Math.ceil(ms / 1000)), "cache-control": "no-store" },
    body,
  };
}

/**
 * Before serving: the data directory 0700 and the database files 0600 (or no start when that
 * cannot be made true: lib/data-files.ts), then on a first run the setup token, created
 * exclusively by this process (lib/auth/setup-token.ts).
 */
async function prepareDataFiles(file) {
  const { register } = await import("tsx/esm/api");
  const unregister = register({ tsconfig: fileURLToPath(new URL("./tsconfig.json", import.meta.url)) });
  try {
    const { secureDataFiles } = await import("./lib/data-files.ts");
    const r = secureDataFiles(file);
    for (const line of r.fixed) console.log(`Switchyard: ${line}`);
    for (const line of r.warnings) console.warn(`Switchyard: ${line}`);
    if (r.refused) {
      console.error(`Switchyard refuses to start: ${r.refused}`);
      process.exit(1);
    }
    let users = 1;
    try {
      const d = new Database(file, { readonly: true, fileMustExist: true });
      users = d.prepare('SELECT COUNT(*) AS n FROM "User"').get().n;
      d.close();
    } catch {
      return; // no database yet: setup.sh migrates first
    }
    if (users > 0) return;
    const { ensureSetupToken } = await import("./lib/auth/setup-token.ts");
    ensureSetupToken(true);
  } finally {
    await unregister();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const file = databaseFile();
  await prepareDataFiles(file);
  const hasSession = sessionChecker(file);
  const app = next({ dev: false, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const recoverAbandoned = await recoverOnStart();
  createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    delete req.headers["x-switchyard-client-ip"];
    const refused = gate(req);
    if (refused) {
      res.writeHead(refused.status, { "content-type": "text/plain; charset=utf-8" });
      res.end(`${refused.message}\n`);
      return;
    }
    let answer;
    try {
      answer = lockedLoginPost(req) ?? loginGate(req, hasSession);
    } catch (e) {
      console.error("login gate:", e);
      answer = { status: 503, headers: { "content-type": "text/plain; charset=utf-8" }, body: "The session store cannot be read.\n" };
    }
    if (answer) {
      res.writeHead(answer.status, answer.headers);
      res.end(req.method === "HEAD" ? undefined : answer.body);
      return;
    }
    // before any page, action or API call reads the gateway or applies: what an apply killed since left is recovered
    if (!recoverAbandoned || req.url?.startsWith("/_next/static/")) return void handle(req, res);
    recoverAbandoned().then(
      () => handle(req, res),
      () => handle(req, res),
    );
  }).listen(port, hostname, () => console.log(`Switchyard listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`));
}

/**
 * Before serving: converge and record what an apply killed with the last server (or a CLI) left
 * (lib/engine/recovery.ts). Returns the check run before each request after that (a CLI apply
 * killed while the server runs is not left for the next start), which costs one read of the
 * intent table when there is nothing to recover; null if it cannot load.
 */
async function recoverOnStart() {
  const { register } = await import("tsx/esm/api");
  const unregister = register({ tsconfig: fileURLToPath(new URL("./tsconfig.json", import.meta.url)) });
  let recovery;
  try {
    recovery = await import("./lib/engine/recovery.ts");
    for (const r of await recovery.recoverInterrupted()) console.log(`Switchyard recovered an interrupted apply (revision ${r.revisionId}): ${r.message}`);
  } catch (e) {
    console.error(`Switchyard: recovering an interrupted apply failed: ${e instanceof Error ? e.message : e}`);
  } finally {
    await unregister();
  }
  if (!recovery) return null;
  let lastError = "";
  return () =>
    recovery.recoverAbandoned().then(
      (done) => {
        lastError = "";
        for (const r of done) console.log(`Switchyard recovered an interrupted apply (revision ${r.revisionId}): ${r.message}`);
      },
      (e) => {
        const message = e instanceof Error ? e.message : String(e);
        if (message !== lastError) console.error(`Switchyard: recovering an interrupted apply failed: ${message}`);
        lastError = message;
      },
    );
}
