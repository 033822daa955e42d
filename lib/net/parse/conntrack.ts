// `conntrack -L` (default text output) -> each flow's original source and mark.
//   tcp 6 119 TIME_WAIT src=192.168.1.100 dst=198.18.0.1 sport=47116 dport=7777 src=198.18.0.1 ... mark=1 use=1
// The first src= is the original direction (the LAN host); mark= is the connection mark.
export interface Flow {
  src: string;
  mark: number;
}

export function parseConntrackList(text: string): Flow[] {
  const flows: Flow[] = [];
  for (const line of text.split("\n")) {
    const src = /\bsrc=(\S+)/.exec(line);
    if (!src) continue;
    const mark = /\bmark=(\d+)/.exec(line);
    flows.push({ src: src[1], mark: mark ? Number(mark[1]) : 0 });
  }
  return flows;
}

/**
 * Both tuples of a flow: what the host sent (src -> dst) and what the reply comes
 * back to. The reply's dst is the address the flow was NATed to; when it equals the
 * original src the flow left un-NATed.
 */
export interface FlowTuple {
  proto: string;
  src: string;
  dst: string;
  replyDst: string;
  mark: number;
}

export function parseConntrackTuples(text: string): FlowTuple[] {
  const flows: FlowTuple[] = [];
  for (const line of text.split("\n")) {
    const srcs = [...line.matchAll(/\bsrc=(\S+)/g)].map((m) => m[1]);
    const dsts = [...line.matchAll(/\bdst=(\S+)/g)].map((m) => m[1]);
    if (srcs.length < 2 || dsts.length < 2) continue;
    const mark = /\bmark=(\d+)/.exec(line);
    flows.push({ proto: line.trim().split(/\s+/)[0], src: srcs[0], dst: dsts[0], replyDst: dsts[1], mark: mark ? Number(mark[1]) : 0 });
  }
  return flows;
}
