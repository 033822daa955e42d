// `conntrack -L` (default text output) -> one entry per flow, both tuples. Pure.
//   tcp 6 119 TIME_WAIT src=192.168.1.100 dst=198.18.0.1 sport=47116 dport=7777 src=198.18.0.1 dst=203.0.113.10 ... mark=1 use=1
// The first src=/dst= are the original direction (what the LAN host sent), the second the
// reply's: the reply's dst is the address the flow was NATed to (the original src when it
// left un-NATed). mark= is the connection mark. The default output names no family: it is
// the addresses' (the command is built per family, lib/net/family.ts).
import { familyOfAddress, type Family } from "../family";

export interface ConntrackEntry {
  family: Family;
  /** "tcp", "udp", "icmp", "unknown" */
  proto: string;
  /** TCP's state ("ESTABLISHED", "TIME_WAIT", ...); absent for the other protocols */
  state?: string;
  src: string;
  dst: string;
  replySrc: string;
  replyDst: string;
  mark: number;
}

/**
 * What clearing stale flows needs of an entry; `mac`: an IPv6 source's link-layer address,
 * from the gateway's neighbour table (lib/net/apply/flows.ts), which tells whose it is.
 */
export type Flow = Pick<ConntrackEntry, "src" | "mark"> & { mac?: string };
/** What the NAT evidence needs of an entry. */
export type FlowTuple = Pick<ConntrackEntry, "proto" | "src" | "dst" | "replyDst" | "mark">;

export function parseConntrack(text: string): ConntrackEntry[] {
  const flows: ConntrackEntry[] = [];
  for (const line of text.split("\n")) {
    const srcs = [...line.matchAll(/\bsrc=(\S+)/g)].map((m) => m[1]);
    const dsts = [...line.matchAll(/\bdst=(\S+)/g)].map((m) => m[1]);
    if (srcs.length < 2 || dsts.length < 2) continue;
    const words = line.trim().split(/\s+/);
    const mark = /\bmark=(\d+)/.exec(line);
    flows.push({
      family: familyOfAddress(srcs[0]),
      proto: words[0],
      ...(/^[A-Z_]+$/.test(words[3]) ? { state: words[3] } : {}),
      src: srcs[0],
      dst: dsts[0],
      replySrc: srcs[1],
      replyDst: dsts[1],
      mark: mark ? Number(mark[1]) : 0,
    });
  }
  return flows;
}

/** TCP entries that are only waiting to expire are not open connections. */
export const isOpen = (f: ConntrackEntry) => f.state !== "TIME_WAIT" && f.state !== "CLOSE";
