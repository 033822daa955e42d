// On a real gateway, name Switchyard's routing tables for `ip` (so `ip rule` shows
// "lookup ISP1", not "lookup 100"). /etc/iproute2 is machine-wide, so this is done
// only when managing the host itself; the lab and other namespaces use numbers.
// The apply itself uses numbers only, so the file is written once the kernel runs
// the config and verified it: a failed or rolled-back apply leaves the old file.
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { assertTableName } from "@/lib/net/routing/text";
import type { RtTableEntry } from "@/lib/net/types";

export const RT_TABLES_FILE = "/etc/iproute2/rt_tables.d/switchyard.conf";

export function rtTablesText(entries: RtTableEntry[]): string {
  return [
    "# Written by Switchyard: its routing tables. Changes here are overwritten.",
    ...entries.map((e) => `${e.number}\t${assertTableName(e.name)}`),
    "",
  ].join("\n");
}

/** Written beside and renamed over: a process killed mid-write leaves the old file whole. */
export async function writeRtTables(entries: RtTableEntry[], file = RT_TABLES_FILE): Promise<void> {
  const text = rtTablesText(entries); // refuses a bad name before anything is written
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, file);
}
