// On a real gateway, name Switchyard's routing tables for `ip` (so `ip rule` shows
// "lookup ISP1", not "lookup 100"). /etc/iproute2 is machine-wide, so this is done
// only when managing the host itself; the lab and other namespaces use numbers.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RtTableEntry } from "@/lib/net/types";

export const RT_TABLES_FILE = "/etc/iproute2/rt_tables.d/switchyard.conf";

export function rtTablesText(entries: RtTableEntry[]): string {
  return ["# Written by Switchyard: its routing tables. Changes here are overwritten.", ...entries.map((e) => `${e.number}\t${e.name}`), ""].join("\n");
}

export async function writeRtTables(entries: RtTableEntry[], file = RT_TABLES_FILE): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, rtTablesText(entries), { mode: 0o644 });
}
