// What the future `switchyard lab up|down|status` command calls. Returns printable text;
// parsing argv stays with the caller (scripts/lab.ts for now).
import fs from "node:fs";
import type { GatewayConfig } from "../model";
import { labDown, labStatus, labUp } from "./lab";

export const DEFAULT_PREFIX = "sy";

/** A GatewayConfig from a JSON file. Only the shape is checked here: validation is lib/validation's job. */
export function readConfigFile(file: string): GatewayConfig {
  const c = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!c?.settings || !Array.isArray(c.isps) || !Array.isArray(c.natAddresses) || !Array.isArray(c.hosts)) {
    throw new Error(`${file}: not a GatewayConfig (needs settings, isps, natAddresses, hosts)`);
  }
  return c as GatewayConfig;
}

export async function labUpCommand(config: GatewayConfig, prefix = DEFAULT_PREFIX): Promise<string> {
  const r = await labUp(config, { prefix });
  const parts = [`lab ${prefix} up in ${r.durationMs} ms`];
  if (r.created.length) parts.push(`created ${r.created.join(" ")}`);
  if (r.removed.length) parts.push(`removed ${r.removed.join(" ")}`);
  if (r.serverPid) parts.push(`test server pid ${r.serverPid}`);
  return parts.join("\n");
}

export async function labDownCommand(prefix = DEFAULT_PREFIX): Promise<string> {
  const r = await labDown(prefix);
  return r.removed.length ? `lab ${prefix} down in ${r.durationMs} ms: removed ${r.removed.join(" ")}` : `lab ${prefix}: nothing to remove`;
}

export async function labStatusCommand(prefix = DEFAULT_PREFIX, config?: GatewayConfig): Promise<string> {
  const s = await labStatus(prefix, config);
  const lines = [`lab ${prefix}: ${s.namespaces.length} namespaces${s.namespaces.length ? ` (${s.namespaces.join(" ")})` : ""}`];
  lines.push(`test server: ${s.server.running ? `running, pid ${s.server.pid}` : "not running"}`);
  if (s.missing?.length) lines.push(`missing: ${s.missing.join(" ")}`);
  if (s.extra?.length) lines.push(`not in the config: ${s.extra.join(" ")}`);
  return lines.join("\n");
}
