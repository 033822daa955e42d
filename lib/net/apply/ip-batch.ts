import { run, type Target } from "@/lib/net/exec";
import type { Family } from "@/lib/net/family";
import { routeArgs, ruleArgs } from "@/lib/net/routing/text";
import type { Route, Rule } from "@/lib/net/types";

/** One `ip -batch` line of a family: `ip -batch` takes no per-line `-6`, so each family is a batch of its own. */
export interface IpLine {
  family: Family;
  text: string;
}

export const routeLine = (op: "replace" | "del", r: Route): IpLine => ({ family: r.family, text: `route ${op} ${routeArgs(r).join(" ")}` });
export const ruleLine = (op: "add" | "del", r: Rule): IpLine => ({ family: r.family, text: `rule ${op} ${ruleArgs(r).join(" ")}` });

/**
 * Lines of `ip -batch -`, one process per family (IPv4 first, then `ip -6 -batch -`); a plain
 * string is an IPv4 line. -force so one bad line does not stop the rest (a rollback).
 */
export async function ipBatch(target: Target, lines: (string | IpLine)[], force = false) {
  // a stored snapshot from before families were recorded has none: IPv4
  const familyOf = (l: string | IpLine): Family => (typeof l !== "string" && l.family === 6 ? 6 : 4);
  const of = (family: Family) => lines.filter((l) => familyOf(l) === family).map((l) => (typeof l === "string" ? l : l.text));
  for (const family of [4, 6] as const) {
    const text = of(family);
    if (text.length === 0) continue;
    await run(target, "ip", [...(family === 6 ? ["-6"] : []), ...(force ? ["-force"] : []), "-batch", "-"], { input: `${text.join("\n")}\n` });
  }
}
