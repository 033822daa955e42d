// `switchyard monitor` on the e2e lab for the specs that need one (monitor, outage), and a
// holder of the apply lock: separate processes, as on a gateway, stopped with SIGTERM.
import path from "node:path";
import { HOST, startStream, type StreamHandle } from "../lib/net/exec";
import { e2eEnv } from "../playwright.config";
import { repoRoot } from "../tests/helpers/processes";

export const LAB = "e2e";
export const cliEnv = { DATABASE_URL: e2eEnv.DATABASE_URL, SWITCHYARD_TARGET: "lab", SWITCHYARD_LAB_PREFIX: LAB };

/** Start a node process with extra environment (the child inherits ours at spawn time). */
function startWith(env: Record<string, string>, args: string[], lines: string[]): StreamHandle {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return startStream(HOST, "node", args, { onLine: (l) => lines.push(l), onStderrLine: (l) => lines.push(l) });
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

/** `switchyard monitor` on the e2e lab, probing every 200 ms; its log lines kept for failures. */
export function startMonitor(lines: string[]): StreamHandle {
  return startWith({ ...cliEnv, SWITCHYARD_MONITOR_INTERVAL_MS: "200" }, [path.join(repoRoot, "bin", "switchyard.mjs"), "monitor"], lines);
}

/** Hold the apply lock as `holder` until stopped (tests/helpers/hold-apply-lock.ts); resolves once it is held. */
export async function holdApplyLock(holder: string): Promise<StreamHandle> {
  const lines: string[] = [];
  const tsx = path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
  const h = startWith(cliEnv, [tsx, path.join(repoRoot, "tests", "helpers", "hold-apply-lock.ts"), holder], lines);
  for (let i = 0; i < 150 && !lines.includes("held"); i++) await new Promise((r) => setTimeout(r, 100));
  if (!lines.includes("held")) throw new Error(`the apply lock was not taken: ${lines.join("\n")}`);
  return h;
}
