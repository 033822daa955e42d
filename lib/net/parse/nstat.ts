// `nstat -a -s -z NAME` -> that kernel counter's value; null when nstat printed none (no such
// counter, or nstat missing). Pure.
//   #kernel
//   TcpExtIPReversePathFilter       3                  0.0
export function parseNstatCounter(text: string, name: string): number | null {
  const m = new RegExp(`${name}\\s+(\\d+)`).exec(text);
  return m ? Number(m[1]) : null;
}
