import { run, type Target } from "@/lib/net/exec";

/** Lines of `ip -batch -` in one process; -force so one bad line does not stop the rest (a rollback). */
export async function ipBatch(target: Target, lines: string[], force = false) {
  if (lines.length === 0) return;
  await run(target, "ip", [...(force ? ["-force"] : []), "-batch", "-"], { input: `${lines.join("\n")}\n` });
}
