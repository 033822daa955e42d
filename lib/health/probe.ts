// Probing: one long-lived streaming ping per (ISP, target), not one process per probe, and
// one `ip monitor link address route` for the kernel's link, address and route changes. Each ping leaves from the ISP's own link address
// (-I), so the ISP's source rule sends it into the ISP's own table and out of its own link,
// whatever the default route says. An IPv6 target: `ping -6` from the gateway's address in the
// ISP's prefix (-I with an address binds the source), with the ISP's mark (-m): probe-source.ts.
import { run, startStream, type StreamHandle, type Target } from "@/lib/net/exec";
import { parsePingLine } from "@/lib/net/parse/ping";
import { parseIpLinkJson } from "@/lib/net/parse/ip-link";
import { parseMonitorLine, type KernelEvent } from "@/lib/net/parse/ip-monitor";

export interface ProbeSpec {
  isp: string;
  source: string;
  /** IPv6: the ISP's mark (SO_MARK), so that its fwmark rule routes the probe even while the ISP is down */
  mark?: number;
  target: string;
  intervalMs: number;
  timeoutMs: number;
}

export interface ProbeResult {
  isp: string;
  target: string;
  ok: boolean;
  rttMs?: number;
}

export const pingArgs = (s: ProbeSpec) => [
  ...(s.target.includes(":") ? ["-6"] : []),
  "-n",
  "-O",
  "-i",
  String(s.intervalMs / 1000),
  "-W",
  String(s.timeoutMs / 1000),
  "-I",
  s.source,
  ...(s.mark !== undefined ? ["-m", String(s.mark)] : []),
  s.target,
];

export interface Stoppable {
  stop(): Promise<void>;
}

/** A ping that is restarted if it ends (address not yet on the link, ...); every answer or loss reported once per sequence number. */
export function startPing(target: Target, spec: ProbeSpec, onResult: (r: ProbeResult) => void): Stoppable {
  let stopped = false;
  let handle: StreamHandle | null = null;
  let timer: NodeJS.Timeout | null = null;
  const seen = new Set<number>();
  const report = (seq: number | null, ok: boolean, rttMs?: number) => {
    if (seq !== null) {
      // -O says "no answer yet" and a late reply may follow: the first word about a probe counts
      if (seen.has(seq)) return;
      seen.add(seq);
      if (seen.size > 256) seen.delete(seen.values().next().value!);
    }
    onResult({ isp: spec.isp, target: spec.target, ok, ...(ok ? { rttMs } : {}) });
  };
  const onLine = (line: string) => {
    const e = parsePingLine(line);
    if (!e) return;
    if (e.kind === "reply") report(e.seq, true, e.rttMs);
    else report(e.seq, false);
  };
  const start = () => {
    seen.clear();
    handle = startStream(target, "ping", pingArgs(spec), {
      onLine,
      onStderrLine: onLine,
      onExit: () => {
        handle = null;
        if (stopped) return;
        report(null, false);
        timer = setTimeout(start, Math.max(spec.intervalMs, 500));
      },
    });
  };
  start();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await handle?.stop();
    },
  };
}

/**
 * The links' state now, then every link, address and route change, from one
 * `ip -o monitor link address route` (events, not polling). Restarted if it ends.
 */
export async function watchKernel(target: Target, onEvent: (e: KernelEvent) => void): Promise<Stoppable> {
  let stopped = false;
  let handle: StreamHandle | null = null;
  let timer: NodeJS.Timeout | null = null;
  const start = () => {
    handle = startStream(target, "ip", ["-o", "monitor", "link", "address", "route"], {
      onLine: (l) => {
        const e = parseMonitorLine(l);
        if (e) onEvent(e);
      },
      onExit: () => {
        if (!stopped) timer = setTimeout(start, 500);
      },
    });
  };
  start();
  // after the monitor is listening, so that no change falls between the two
  const now = await run(target, "ip", ["-json", "link", "show"]);
  for (const l of parseIpLinkJson(now.stdout)) onEvent({ kind: "link", ifname: l.name, up: l.carrier });
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await handle?.stop();
    },
  };
}
