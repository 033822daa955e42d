// `ip -json [-force] -batch -` fed with `route get ...` lines -> one RouteGet per line.
// What `ip` prints (iproute2 6.1, see tests/fixtures/kernel/NORMALISATION.md):
//   [{"dst":"198.18.0.1","from":"192.168.1.100","gateway":"203.0.113.1","dev":"eth0",
//     "table":"100","flags":[],"mark":1,"cache":[],"iif":"lan0"}]
// - stdout: one JSON array (one element) per successful line, one line each.
// - "table" is the table the lookup ended in; left out for main (254).
// - "mark" is a number here (rules print hex strings); "prefsrc" only for
//   locally generated lookups (no iif).
// - a failed line prints nothing on stdout; stderr gets the reason and
//   "Command failed -:N" (N = input line). Without -force ip stops there.
//   A line ip cannot parse ("Error: any valid prefix is expected ...") ends the
//   batch even with -force, without a "Command failed" line.
// So results can only be matched to input lines with stderr; pass it.
import { num, parseIpJsonArray, str, tableNumber } from "./rt-tables";

export interface RouteGet {
  dst: string; // "" for a failed line whose input was not passed
  gateway?: string;
  dev?: string;
  src?: string;
  table?: number;
  mark?: number;
  /** only when not unicast, e.g. "local" */
  type?: string;
  error?: string;
}

export interface RouteGetBatchOptions {
  /** ip's stderr: places the failed lines */
  stderr?: string;
  /** the input lines, one `route get` each (no blank lines): gives failed lines their dst, and marks lines never run */
  input?: string[];
  tableNames?: ReadonlyMap<string, number>;
}

const FAILED = /^Command failed .*:(\d+)$/;

export function parseRouteGetBatch(text: string, opts: RouteGetBatchOptions = {}): RouteGet[] {
  const results = text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => routeGet(l, opts.tableNames));
  const { errors, fatal } = parseStderr(opts.stderr ?? "");
  if (!opts.input && errors.size === 0 && fatal === undefined) return results;

  const total = opts.input?.length ?? results.length + errors.size + (fatal === undefined ? 0 : 1);
  const out: RouteGet[] = [];
  let fatalUsed = false;
  for (let line = 1; line <= total; line++) {
    const dst = opts.input ? dstOf(opts.input[line - 1]) : "";
    let error = errors.get(line);
    if (error === undefined && results.length > 0) {
      out.push(results.shift()!);
      continue;
    }
    if (error === undefined) {
      error = fatal !== undefined && !fatalUsed ? fatal : "not run: ip -batch stopped at an earlier line";
      fatalUsed ||= fatal !== undefined;
    }
    out.push({ dst, error });
  }
  if (results.length > 0) throw new Error(`ip route get: ${results.length} more results than input lines`);
  return out;
}

function routeGet(line: string, tableNames?: ReadonlyMap<string, number>): RouteGet {
  const [r] = parseIpJsonArray(line, "ip route get");
  if (!r || !str(r.dst)) throw new Error(`ip route get: no route in ${JSON.stringify(line)}`);
  const out: RouteGet = { dst: str(r.dst)!, table: "table" in r ? tableNumber(r.table, tableNames) : 254 };
  if (str(r.gateway)) out.gateway = str(r.gateway);
  if (str(r.dev)) out.dev = str(r.dev);
  if (str(r.prefsrc)) out.src = str(r.prefsrc);
  if (num(r.mark) !== undefined) out.mark = num(r.mark);
  if (str(r.type) && r.type !== "unicast") out.type = str(r.type);
  return out;
}

/** "RTNETLINK answers: No route to host" + "Command failed -:4" -> 4 => "No route to host" */
function parseStderr(stderr: string): { errors: Map<number, string>; fatal?: string } {
  const errors = new Map<number, string>();
  let pending: string[] = [];
  for (const raw of stderr.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const failed = FAILED.exec(line);
    if (failed) {
      errors.set(Number(failed[1]), pending.join("; ") || "failed");
      pending = [];
    } else {
      pending.push(line.replace(/^(RTNETLINK answers|Error):\s*/, ""));
    }
  }
  return { errors, fatal: pending.length ? pending.join("; ") : undefined };
}

/** "route get [fibmatch] [to] ADDR ..." -> ADDR */
function dstOf(cmd = ""): string {
  const words = cmd.trim().split(/\s+/);
  const rest = words.slice(words.indexOf("get") + 1).filter((w) => w !== "fibmatch" && w !== "to");
  return rest[0] ?? "";
}
