// `ip -json netns list` -> the named network namespaces (those under /run/netns). Pure.
//   [{"name":"cap23a","id":7},{"name":"cap23b"}]
// - "id" is the namespace's nsid as the namespace `ip` runs in sees it: printed only once one is
//   assigned (a veth across the two, or `ip netns set NAME ID`).
// - no namespace at all prints "[]"; empty output is read as none too.
import { num, parseIpJsonArray, str } from "./rt-tables";

export interface Netns {
  name: string;
  id?: number;
}

export function parseIpNetnsJson(text: string): Netns[] {
  return parseIpJsonArray(text, "ip netns").flatMap((n) => {
    const name = str(n.name);
    const id = num(n.id);
    return name ? [{ name, ...(id !== undefined ? { id } : {}) }] : [];
  });
}
