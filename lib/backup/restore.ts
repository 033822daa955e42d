// Backup and restore from the UI: the same file as `switchyard config export/import`
// (lib/data/config-file.ts), read from an upload. A preview compares the file with the staged
// configuration (the words of lib/config-diff.ts, and a line diff of the two files); staging it
// is importConfigFile, validated whole and written in one transaction (with its audit event),
// so an invalid file changes nothing.
import { diffConfigs, type ConfigChange } from "@/lib/config-diff";
import { configFileText as fileText, exportConfigFile, importConfigFile } from "@/lib/data/config-file";
import { recordAudit, type Actor } from "@/lib/data/audit";
import { describeIssue } from "@/lib/validation/issues";
import { parseJsonText } from "@/lib/cli/json-error";
import { validateConfigFile } from "@/lib/validation/config-file";
import type { GatewayConfig } from "@/lib/model";

/** As the server accepts a request body (server.mjs REQUEST_BODY_MAX, next.config.js): the file rides in one. */
export const RESTORE_MAX_BYTES = 200 * 1024;

export type Preview = { ok: true; changes: ConfigChange[]; before: string; after: string; counts: string } | { ok: false; errors: string[] };

export { fileText };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** "2 ISPs, 1 NAT address, 3 hosts, 0 policies". Exported for its test. */
export const counts = (c: GatewayConfig) =>
  `${plural(c.isps.length, "ISP", "ISPs")}, ${plural(c.natAddresses.length, "NAT address", "NAT addresses")}, ${plural(c.hosts.length, "host", "hosts")}, ${plural((c.policies ?? []).length, "policy", "policies")}`;

/** The file read and validated, or every reason it cannot be staged, each naming where. */
function check(text: unknown): { ok: true; input: unknown; config: GatewayConfig } | { ok: false; errors: string[] } {
  if (typeof text !== "string") return { ok: false, errors: ["No file was uploaded."] };
  if (Buffer.byteLength(text) > RESTORE_MAX_BYTES)
    return { ok: false, errors: [`The file is larger than ${RESTORE_MAX_BYTES / 1024} KiB: this is not a Switchyard configuration.`] };
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, errors: [`The file is not JSON: ${parsed.error}.`] };
  const v = validateConfigFile(parsed.value);
  if (!v.ok) return { ok: false, errors: v.issues.map((i) => describeIssue(i, parsed.value)) };
  return { ok: true, input: parsed.value, config: v.config };
}

export async function previewRestore(text: unknown): Promise<Preview> {
  const r = check(text);
  if (!r.ok) return r;
  const staged = await exportConfigFile();
  return { ok: true, changes: diffConfigs(staged, r.config), before: fileText(staged), after: fileText(r.input), counts: counts(r.config) };
}

export async function stageRestore(text: unknown, actor: Actor, fileName: string): Promise<{ ok: true; counts: string } | { ok: false; errors: string[] }> {
  const r = check(text);
  if (!r.ok) return r;
  const c = r.config;
  const done = await importConfigFile(r.input, (tx) =>
    recordAudit(tx, actor, "config.restore", fileName.slice(0, 200) || "upload", null, {
      isps: c.isps.length,
      natAddresses: c.natAddresses.length,
      hosts: c.hosts.length,
    }),
  );
  if (!done.ok) return { ok: false, errors: done.issues.map((i) => describeIssue(i, r.input)) };
  return { ok: true, counts: counts(c) };
}
