// `sysctl KEY...` -> each key's value. sysctl prints "key = value" lines; a key that does not
// exist (an interface that is gone) prints an error on stderr, not a line, and the rest are
// still printed: such a key is simply absent from the result. Pure.
//   net.ipv4.ip_forward = 1
//   net.ipv4.conf.all.rp_filter = 2
// The family of each key is in its name (net.ipv4.* / net.ipv6.*): sysctlFamily in lib/net/family.ts.
export function parseSysctl(text: string): Map<string, string> {
  return new Map(
    text
      .split("\n")
      .map((l) => /^(\S+) = (.*)$/.exec(l.trim()))
      .filter((m) => m !== null)
      .map((m) => [m![1], m![2]]),
  );
}
