// Pure parser for the lines of a streaming `ping -n -O` (iputils): every line becomes a
// reply (with its round-trip time), a loss (-O prints "no answer yet" when the next probe
// leaves unanswered), an ICMP error from a router on the way, or nothing.
export type PingEvent = { kind: "reply"; seq: number; rttMs: number } | { kind: "lost"; seq: number } | { kind: "error"; seq: number | null; text: string };

// (the sender may be IPv6, colons and all: "64 bytes from 2001:db8::80: icmp_seq=1 ttl=62 time=0.1 ms")
const REPLY = /^\d+ bytes from .+?: icmp_seq=(\d+) .*\btime[=<]([\d.]+) ms/;
const NO_ANSWER = /^no answer yet for icmp_seq=(\d+)$/;
// "From 10.9.9.1 icmp_seq=3 Destination Host Unreachable", "... Time to live exceeded"
const ICMP_ERROR = /^From \S+ icmp_seq=(\d+) (.+)$/;
// stderr: "ping: sendmsg: Network is unreachable" (no route in the ISP's table, link down)
const SEND_ERROR = /^ping: (sendmsg|sendto): (.+)$/;

export function parsePingLine(raw: string): PingEvent | null {
  const line = raw.trim();
  let m = REPLY.exec(line);
  if (m) return { kind: "reply", seq: Number(m[1]), rttMs: Number(m[2]) };
  if ((m = NO_ANSWER.exec(line))) return { kind: "lost", seq: Number(m[1]) };
  if ((m = ICMP_ERROR.exec(line))) return { kind: "error", seq: Number(m[1]), text: m[2] };
  if ((m = SEND_ERROR.exec(line))) return { kind: "error", seq: null, text: m[2] };
  return null;
}

export function parsePingOutput(text: string): PingEvent[] {
  return text
    .split("\n")
    .map(parsePingLine)
    .filter((e): e is PingEvent => e !== null);
}

/** The summary of a finished `ping -q` (iputils): how many answers, and the mean round-trip time when any came. */
export interface PingSummary {
  received: number;
  rttAvgMs?: number;
}

// "2 packets transmitted, 2 received, 0% packet loss, time 201ms" / "rtt min/avg/max/mdev = 0.067/0.086/0.120/0.023 ms"
export function parsePingSummary(text: string): PingSummary {
  const received = Number(/(\d+) (?:packets )?received/.exec(text)?.[1] ?? "0");
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(text);
  return { received, ...(rtt ? { rttAvgMs: Number(rtt[1]) } : {}) };
}
