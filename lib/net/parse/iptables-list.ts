// `iptables -L -v -n -x` (text, for the literal view) -> the built-in chains' policy counters. Pure.
//   Chain FORWARD (policy ACCEPT 12 packets, 840 bytes)
// User chains print "(N references)" instead and are left out.
export interface ChainPolicy {
  chain: string;
  policy: string;
  packets: number;
  bytes: number;
}

export function chainPolicies(text: string): ChainPolicy[] {
  const out = [];
  for (const m of text.matchAll(/^Chain (\S+) \(policy (\S+) (\d+) packets, (\d+) bytes\)/gm)) {
    out.push({ chain: m[1], policy: m[2], packets: Number(m[3]), bytes: Number(m[4]) });
  }
  return out;
}
