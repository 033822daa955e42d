// `switchyard lab fault ISP upstream-down|link-down|loss PCT|restore`: argv -> a typed command
// (the lab's fault injection, lib/lab/faults.ts). Pure.
import { ispName } from "@/lib/validation/fields";
import type { Fault } from "@/lib/lab/faults";

export type FaultCommand = { name: "lab-fault"; isp: string; fault: Fault; prefix?: string };

export const FAULT_USAGE = "lab fault ISP upstream-down|link-down|loss PCT|restore";

/** The words after `lab fault`; throws an Error with the message for the user. */
export function parseFaultArgs(words: string[]): { isp: string; fault: Fault } {
  const [isp, kind, ...more] = words;
  if (isp === undefined || kind === undefined) throw new Error(`lab fault needs an ISP and a fault: ${FAULT_USAGE}`);
  const name = ispName.safeParse(isp);
  if (!name.success) throw new Error(`lab fault: ${JSON.stringify(isp)} is not an ISP name`);
  const none = () => {
    if (more.length) throw new Error(`unexpected argument ${JSON.stringify(more[0])} for lab fault ${kind}`);
  };
  if (kind === "upstream-down" || kind === "link-down" || kind === "restore") {
    none();
    return { isp: name.data, fault: { kind } };
  }
  if (kind === "loss") {
    const [pct, ...rest] = more;
    if (pct === undefined || !/^\d{1,3}(\.\d{1,2})?$/.test(pct) || Number(pct) <= 0 || Number(pct) > 100)
      throw new Error("lab fault loss needs a percentage above 0 and at most 100, e.g. loss 30");
    if (rest.length) throw new Error(`unexpected argument ${JSON.stringify(rest[0])} for lab fault loss`);
    return { isp: name.data, fault: { kind: "loss", pct: Number(pct) } };
  }
  throw new Error(`unknown fault ${JSON.stringify(kind)} (${FAULT_USAGE})`);
}
