// Read what a hand-made gateway holds, for the inference (lib/adopt/infer.ts): six read-only
// processes (every rule and route of every table of both families, iptables-save, the addresses) and the
// routing table names from rt_tables and rt_tables.d. Nothing here changes the kernel.
import fs from "node:fs";
import path from "node:path";
import { run, type BinaryName, type Target } from "@/lib/net/exec";
import { ipArgs } from "@/lib/net/family";
import { classify } from "@/lib/net/observe";
import { parseIpAddrJson } from "@/lib/net/parse/ip-addr";
import { parseRtTables } from "@/lib/net/parse/rt-tables";
import type { AdoptInput, IfAddress, RtTableLine } from "./types";

/** fixture file, binary, arguments: what `switchyard adopt` runs (the capture script stores the same). */
export const ADOPT_COMMANDS: [string, BinaryName, string[]][] = [
  ["ip-rule.json", "ip", ["-N", ...ipArgs(4, "-json", "rule", "show")]],
  ["ip-route.json", "ip", ["-N", ...ipArgs(4, "-json", "route", "show", "table", "all")]],
  ["iptables-save.txt", "iptables-save", ["-c"]],
  ["ip-addr.json", "ip", ["-json", "addr", "show"]],
];

/** IPv6: every rule and every route of every table (fixture directories without them adopt IPv4 only). */
export const ADOPT_COMMANDS6: [string, BinaryName, string[]][] = [
  ["ip6-rule.json", "ip", ["-N", ...ipArgs(6, "-json", "rule", "show")]],
  ["ip6-route.json", "ip", ["-N", ...ipArgs(6, "-json", "route", "show", "table", "all")]],
];

/** `ip -json addr show` -> the addresses of one family on every interface (IPv4 by default; scope host and link left out for IPv6). */
export function ifAddresses(text: string, family: 4 | 6 = 4): IfAddress[] {
  return parseIpAddrJson(text).flatMap((l) =>
    l.addresses.filter((a) => a.family === family && (family === 4 || a.scope === "global")).map((a) => ({ dev: l.name, address: a.local, prefix: a.prefix })),
  );
}

/** The captured (or fixture) text of the commands, and the rt_tables lines -> the inference's input. */
export function adoptInputFrom(
  text: { rules: string; routes: string; iptables: string; addrs: string; rules6?: string; routes6?: string },
  rtTables: RtTableLine[],
): AdoptInput {
  const v6 = text.rules6 !== undefined && text.routes6 !== undefined ? { rules: text.rules6, routes: text.routes6 } : undefined;
  return {
    observed: classify(text.rules, text.routes, text.iptables, undefined, undefined, undefined, v6),
    addresses: ifAddresses(text.addrs),
    ...(v6 ? { addresses6: ifAddresses(text.addrs, 6) } : {}),
    rtTables,
  };
}

/**
 * `ip netns exec NAME` bind-mounts /etc/netns/NAME/iproute2 over /etc/iproute2 when it exists:
 * the names a namespace's own commands used. The host's are /etc/iproute2 (iproute2 6.1).
 */
export function rtTablesDir(target: Target): string {
  const own = target.kind === "netns" ? `/etc/netns/${target.name}/iproute2` : null;
  return own && fs.existsSync(own) ? own : "/etc/iproute2";
}

/** Every "NUMBER NAME" line of rt_tables and rt_tables.d/*.conf, with the file it is in. */
export function readRtTables(dir: string): RtTableLine[] {
  const files = [path.join(dir, "rt_tables")];
  try {
    files.push(
      ...fs
        .readdirSync(path.join(dir, "rt_tables.d"))
        .filter((f) => f.endsWith(".conf"))
        .sort()
        .map((f) => path.join(dir, "rt_tables.d", f)),
    );
  } catch {
    /* no rt_tables.d: only the main file */
  }
  return files.flatMap((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      return [];
    }
    return [...parseRtTables(text)].map(([name, number]) => ({ number, name, file }));
  });
}

export async function readGateway(target: Target): Promise<AdoptInput> {
  const [rules, routes, iptables, addrs, rules6, routes6] = await Promise.all(
    [...ADOPT_COMMANDS, ...ADOPT_COMMANDS6].map(([, bin, args]) => run(target, bin, args).then((r) => r.stdout)),
  );
  return adoptInputFrom({ rules, routes, iptables, addrs, rules6, routes6 }, readRtTables(rtTablesDir(target)));
}
