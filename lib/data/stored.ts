// Configurations stored as JSON text (a revision's config and base, an apply intent's):
// read back through the schema that guards every write, so a damaged or foreign text is
// named when it is read, not run half way.
import type { GatewayConfig } from "@/lib/model";
import { validateConfig, type ConfigIssue } from "@/lib/validation";
import { formatIssues } from "@/lib/validation/issues";
import { isDynamicIsp } from "@/lib/validation/entities";

/**
 * A configuration the kernel ran is resolved (lib/net/dynamic.ts resolveDynamic): a SNAT-mode
 * dynamic ISP gets its learned address as its default NAT address, which a user may not write.
 * That entry is set aside before the schema (which guards what a user writes) looks at it.
 */
function asWritten(value: unknown): unknown {
  const c = value as Partial<GatewayConfig> | null;
  if (!c || typeof c !== "object" || !Array.isArray(c.isps) || !Array.isArray(c.natAddresses)) return value;
  const learned = new Map(c.isps.filter((i) => i && isDynamicIsp(i) && i.linkAddress).map((i) => [i.name, i.linkAddress]));
  const added = (n: GatewayConfig["natAddresses"][number]) => n?.isDefault && !n.host && learned.get(n.isp) === n.address;
  return learned.size ? { ...c, natAddresses: c.natAddresses.filter((n) => !added(n)) } : value;
}

const notJson = (e: unknown): ConfigIssue[] => [{ path: [], message: `not JSON (${e instanceof Error ? e.message : String(e)})` }];

/** validateConfig of a stored text: the schema's output, or the issues (text that is not JSON is one issue). */
export function validateStoredConfig(text: string): { ok: true; config: GatewayConfig } | { ok: false; issues: ConfigIssue[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: notJson(e) };
  }
  return validateConfig(asWritten(value));
}

// pages poll the same revision's text every few seconds: each text is validated once (the
// verdict is kept, never the object: every caller gets its own copy to change)
const verdicts = new Map<string, string | null>();
const KEPT = 16;

/** Why the text is not a valid configuration, in words; null when it is one. */
function problemOf(text: string): string | null {
  if (verdicts.has(text)) return verdicts.get(text)!;
  let problem: string | null = null;
  try {
    const v = validateConfig(asWritten(JSON.parse(text)));
    if (!v.ok) problem = `is not a valid configuration: ${formatIssues(v.issues)}`;
  } catch (e) {
    problem = `is not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (verdicts.size >= KEPT) verdicts.clear();
  verdicts.set(text, problem);
  return problem;
}

/**
 * The stored configuration as it was written, once it validates: not the schema's output, which
 * blanks a dynamic ISP's addresses (a configuration the kernel ran carries the learned ones).
 * Throws naming `what` (e.g. "the configuration of revision 12") when it does not validate.
 */
export function parseStoredConfig(text: string, what: string): GatewayConfig {
  const problem = problemOf(text);
  if (problem) throw new Error(`${what} ${problem}`);
  return JSON.parse(text) as GatewayConfig;
}

/** The same, or null when there is none or it does not validate (a page shows "unreadable" rather than fail). */
export function readStoredConfig(text: string | null | undefined): GatewayConfig | null {
  if (!text || problemOf(text)) return null;
  return JSON.parse(text) as GatewayConfig;
}
