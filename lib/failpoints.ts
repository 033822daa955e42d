// Failpoints: every place where a test makes an apply stop or fail, in one module. Each is a
// no-op unless a test asks for it, by an option (a test that runs the apply in its own process)
// or by the environment (a CLI or web process the test starts, then kills). docs/testing.md
// says how the kernel tests use them. No dependency: lib/net and lib/engine both call it.
//
// The points are the apply's step boundaries, in the order an apply meets them:
//   precheck   the intent is written (lib/engine/intent.ts), nothing changed yet
//   sysctls routing firewall cleanup takeover conntrack
//              that step changed the kernel and the intent records it (lib/net/apply.ts)
//   verify     the apply verified, its revision is not recorded yet
//
// Pause after a point (crash and recovery tests: tests/kernel/apply-crash.test.ts,
// recovery-entry.test.ts, takeover-rollback.test.ts, e2e/web-recovery.spec.ts):
//   SWITCHYARD_TEST_PAUSE_AFTER=<point>  SWITCHYARD_TEST_PAUSE_FILE=<file>
//     the process writes {pid, step} to the file and waits there for the test to SIGKILL it;
//   SWITCHYARD_TEST_PAUSE_RESUME=1
//     it waits until the test deletes the file (it changed the world meanwhile), then goes on.
//
// Fail at a step (rollback tests): the apply's `fault` option (RunOptions.fault), or
// SWITCHYARD_TEST_FAIL_AT=<step> for an apply in a process the test starts:
//   routing, cleanup    the step's `ip -batch` ends with a route the kernel rejects (FAULT_ROUTE)
//   firewall, takeover  the last restore input of the step adds a rule to a chain that does not
//                       exist (FAULT_IPTABLES_LINE, faultNftLine)
//   verify              the probe sees a NAT address nobody has, as a wrong SNAT would
// The earlier lines of the failing input have applied: the rollback has real work to undo.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";

type Env = Record<string, string | undefined>;

export const PAUSE_POINTS = ["precheck", "sysctls", "routing", "firewall", "cleanup", "takeover", "conntrack", "verify"] as const;
export type PausePoint = (typeof PAUSE_POINTS)[number];

export const FAULT_STEPS = ["routing", "firewall", "cleanup", "takeover", "verify"] as const;
export type FaultStep = (typeof FAULT_STEPS)[number];

/** A route the kernel rejects: the device does not exist. Appended after real lines, so earlier ones have applied. */
export const FAULT_ROUTE = "route replace 198.18.255.254/32 dev swyd-fault0 table 252";
/** An iptables-restore line the kernel rejects: the chain does not exist. */
export const FAULT_IPTABLES_LINE = "-A SWYD-FAULT-MISSING -j ACCEPT";
/** An `nft -f` line the kernel rejects: the chain does not exist in the table. */
export const faultNftLine = (table: string) => `add rule ${table} SWYD-FAULT-MISSING accept`;

/** The pause point: returns at once unless the environment names this point (see the top of the file). */
export async function failpoint(point: PausePoint, env: Env = process.env): Promise<void> {
  if (!env.SWITCHYARD_TEST_PAUSE_AFTER || env.SWITCHYARD_TEST_PAUSE_AFTER !== point || !env.SWITCHYARD_TEST_PAUSE_FILE) return;
  const file = env.SWITCHYARD_TEST_PAUSE_FILE;
  await writeFile(file, JSON.stringify({ pid: process.pid, step: point }));
  if (env.SWITCHYARD_TEST_PAUSE_RESUME !== "1") await new Promise(() => setInterval(() => undefined, 1000));
  while (existsSync(file)) await new Promise((r) => setTimeout(r, 50));
}

/** The step a test makes fail: the apply's option, else SWITCHYARD_TEST_FAIL_AT; undefined for none. */
export function forcedFault<T extends FaultStep | string>(option: T | undefined, env: Env = process.env): T | FaultStep | undefined {
  if (option !== undefined) return option;
  const step = env.SWITCHYARD_TEST_FAIL_AT;
  if (!step) return undefined;
  if (!(FAULT_STEPS as readonly string[]).includes(step))
    throw new Error(`SWITCHYARD_TEST_FAIL_AT must be one of ${FAULT_STEPS.join(", ")}, not ${JSON.stringify(step)}`);
  return step as FaultStep;
}
