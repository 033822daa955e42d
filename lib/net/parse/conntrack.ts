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
