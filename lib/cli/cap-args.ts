// `switchyard cap show [ISP] | set ISP [--cap SIZE] [--cap-warn P,P] [--cap-last-resort |
// --no-cap-last-resort] | remove ISP`: argv -> a typed command. Each value is checked by its
// field's schema (lib/validation/usage.ts); the merged cap is checked when the command runs.
// Pure.
import { ispName } from "@/lib/validation/fields";
import { capFieldsSchema, type CapFields } from "@/lib/validation/usage";

export type CapCommand =
  | { name: "cap-show"; isp?: string }
  | { name: "cap-set"; isp: string; changes: Partial<CapFields> }
  | { name: "cap-remove"; isp: string };

export const CAP_OPTIONS = {
  cap: { type: "string" },
  "cap-warn": { type: "string" },
  "cap-last-resort": { type: "boolean" },
  "no-cap-last-resort": { type: "boolean" },
} as const;

export type CapFlag = keyof typeof CAP_OPTIONS;

export const CAP_USAGE = "cap show [ISP] | cap set ISP --cap 50GB [--cap-warn 80,90,100] [--cap-last-resort|--no-cap-last-resort] | cap remove ISP";

/** The flag that sets a field ("warnPct" -> "--cap-warn"). */
export const CAP_FLAG_OF: Record<keyof CapFields, string> = { capBytes: "--cap", warnPct: "--cap-warn", lastResort: "--cap-last-resort" };

export function parseCapArgs(words: string[], flags: Partial<Record<CapFlag, string | boolean>>): CapCommand {
  const [sub, isp, ...more] = words;
  if (more.length) throw new Error(`unexpected argument ${JSON.stringify(more[0])} for cap ${sub}`);
  const given = Object.keys(flags) as CapFlag[];
  const name = () => {
    if (isp === undefined) throw new Error(`cap ${sub} needs an ISP: ${CAP_USAGE}`);
    const r = ispName.safeParse(isp);
    if (!r.success) throw new Error(`cap ${sub}: ${JSON.stringify(isp)} is not an ISP name`);
    return r.data;
  };
  if (sub === undefined || sub === "show" || sub === "remove") {
    if (given.length) throw new Error(`--${given[0]} applies to cap set only`);
    if (sub === "remove") return { name: "cap-remove", isp: name() };
    return isp === undefined ? { name: "cap-show" } : { name: "cap-show", isp: name() };
  }
  if (sub === "set") {
    const ispArg = name();
    if (!given.length) throw new Error(`cap set ${ispArg} needs at least one setting, e.g. --cap 50GB`);
    if (flags["cap-last-resort"] && flags["no-cap-last-resort"]) throw new Error("--cap-last-resort and --no-cap-last-resort exclude each other");
    const changes: Partial<CapFields> = {};
    const field = <K extends "capBytes" | "warnPct">(k: K, flag: CapFlag) => {
      const r = capFieldsSchema.shape[k].safeParse(flags[flag]);
      if (!r.success) throw new Error(`--${flag}: ${JSON.stringify(flags[flag])}: ${r.error.issues[0]?.message ?? "is not valid"}`);
      return r.data as CapFields[K];
    };
    if (flags.cap !== undefined) changes.capBytes = field("capBytes", "cap");
    if (flags["cap-warn"] !== undefined) changes.warnPct = field("warnPct", "cap-warn");
    if (flags["cap-last-resort"]) changes.lastResort = true;
    if (flags["no-cap-last-resort"]) changes.lastResort = false;
    return { name: "cap-set", isp: ispArg, changes };
  }
  throw new Error(`unknown cap command ${JSON.stringify(sub)} (show, set or remove)`);
}
