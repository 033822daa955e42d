// Switchyard's HTTP server: Next.js behind one gate that every request passes.
// - Host must be one the admin allows (DNS rebinding: a hostile page whose name
//   resolves to this router cannot talk to it under its own name).
// - A state-changing request must carry an Origin that is this very site
//   (cross-site request forgery); a missing Origin is refused too.
// - The client address is taken from the socket; X-Forwarded-For only from a
//   trusted proxy. Login throttling keys on it, so a spoofed header cannot reset it.
//   HOST, PORT                      where to listen (default 127.0.0.1:3000)
//   SWITCHYARD_ALLOWED_HOSTS        extra host names, comma-separated (e.g. the router's LAN name and address)
//   SWITCHYARD_TRUSTED_PROXIES      proxy addresses whose X-Forwarded-For / -Proto are believed
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import next from "next";

const hostname = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
const list = (v) => (v || "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
const allowedHosts = new Set(["localhost", "127.0.0.1", "[::1]", ...list(process.env.SWITCHYARD_ALLOWED_HOSTS)]);
if (hostname !== "0.0.0.0" && hostname !== "::") allowedHosts.add(hostname.includes(":") ? `[${hostname}]` : hostname);
const trustedProxies = new Set(list(process.env.SWITCHYARD_TRUSTED_PROXIES));

/** "name:port" or "[v6]:port" -> the name without the port */
export function hostOnly(host) {
  const h = String(host || "").toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.split(":")[0];
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function gate(req, allowed = allowedHosts, proxies = trustedProxies) {
  const host = req.headers.host;
  if (!host || !allowed.has(hostOnly(host))) return { status: 421, message: `Host ${host ?? "(none)"} is not allowed here. Add it to SWITCHYARD_ALLOWED_HOSTS.` };
  const socketIp = (req.socket.remoteAddress || "").replace(/^::ffff:/, "");
  const viaProxy = proxies.has(socketIp);
  const forwarded = viaProxy ? String(req.headers["x-forwarded-for"] || "").split(",").map((s) => s.trim()).filter(Boolean).at(-1) : undefined;
  req.headers["x-switchyard-client-ip"] = forwarded || socketIp || "unknown";
  if (!viaProxy) delete req.headers["x-forwarded-proto"];
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

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const app = next({ dev: false, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  await recoverOnStart();
  createServer((req, res) => {
    delete req.headers["x-switchyard-client-ip"];
    const refused = gate(req);
    if (refused) {
      res.writeHead(refused.status, { "content-type": "text/plain; charset=utf-8" });
      res.end(`${refused.message}\n`);
      return;
    }
    handle(req, res);
  }).listen(port, hostname, () => console.log(`Switchyard listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`));
}

/** Before serving: converge and record what an apply killed with the last server (or a CLI) left (lib/engine/recovery.ts). */
async function recoverOnStart() {
  const { register } = await import("tsx/esm/api");
  const unregister = register({ tsconfig: fileURLToPath(new URL("./tsconfig.json", import.meta.url)) });
  try {
    const { recoverInterrupted } = await import("./lib/engine/recovery.ts");
    for (const r of await recoverInterrupted()) console.log(`Switchyard recovered an interrupted apply (revision ${r.revisionId}): ${r.message}`);
  } catch (e) {
    console.error(`Switchyard: recovering an interrupted apply failed: ${e instanceof Error ? e.message : e}`);
  } finally {
    await unregister();
  }
}
