// `switchyard lab fault ISP ...`: break or heal a lab ISP (lib/lab/faults.ts), to watch the monitor fail over.
import type { Command, TargetOptions } from "@/lib/cli/args";
import { cli, out, emit, stagedConfig } from "@/lib/cli/context";
import { labPrefixFor } from "@/lib/cli/target";

export async function labFault(cmd: Extract<Command, { name: "lab-fault" }>, opts: TargetOptions): Promise<number> {
  const prefix = labPrefixFor(cmd.prefix, opts);
  const config = await stagedConfig();
  const { injectFault } = await import("@/lib/lab/faults");
  const r = await injectFault(config, prefix, cmd.isp, cmd.fault);
  if (cli.json) emit({ ok: true, prefix, isp: cmd.isp, fault: cmd.fault, namespace: r.namespace });
  else
    out(
      `Lab ${prefix}: ${cmd.fault.kind === "restore" ? `${cmd.isp} restored` : `${cmd.isp} ${cmd.fault.kind}${cmd.fault.kind === "loss" ? ` ${cmd.fault.pct}%` : ""}`} (namespace ${r.namespace})`,
    );
  return 0;
}
