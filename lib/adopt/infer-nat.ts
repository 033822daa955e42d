// The NAT part of the inference: nat POSTROUTING `-o DEV -j SNAT --to-source ADDR` (or
// MASQUERADE) gives an ISP its NAT mode and default address; `-s HOST -o DEV -j SNAT` pins an
// address to a host. The first rule for an interface decides; later ones never match. Pure.
//
// A rule without a source match (`-o DEV -j SNAT`, the classic form) NATs every source that
// leaves DEV: the LAN, but also a tunnel's or a second site's subnet routed out through that
// ISP. Switchyard's NAT covers the LAN only, so deleting the old rule would let those sources
// leave with their private addresses. A take over keeps it (Switchyard's NAT runs before it:
// its chain is hooked first in iptables, and its nftables chain has the earlier priority 95),
// and the plan says so: nothing is narrowed silently.
import type { NatAddressConfig } from "@/lib/model";
import { cidrNetwork, inSubnet, isIpv4 } from "@/lib/net/ipv4";
import type { IptRule } from "@/lib/net/types";
import { iptText, simpleOptions } from "./objects";
import type { IfAddress, IptRuleRef, IspDraft, TakeoverItem } from "./types";

interface NatContext {
  addresses: IfAddress[];
  isps: IspDraft[];
  isLanNet: (src: string | undefined) => boolean;
  inLan: (address: string) => boolean;
  keep: (object: string, why: string) => void;
  takeover: TakeoverItem[];
  /** objects the proposal reads but a take over leaves in place */
  kept: TakeoverItem[];
  /** the non-LAN sources the gateway routes today, for the reason a source-less rule is kept ("10.8.0.0/24 via tun0") */
  otherSources: string[];
}

const hostAddress = (src: string | undefined) => (src && src.endsWith("/32") ? src.slice(0, -3) : undefined);

/** Why a NAT rule without a source match stays through a take over. */
export function keptWhy(otherSources: string[]): string {
  const e = otherSources.length
    ? `e.g. ${otherSources.slice(0, 3).join(", ")}${otherSources.length > 3 ? ", ..." : ""}`
    : "none is routed here today, but a tunnel added later would be";
  return `covers sources outside the LAN (${e}); Switchyard's NAT runs before it for the LAN`;
}

export function readNat(rules: IptRule[], { addresses, isps, isLanNet, inLan, keep, takeover, kept, otherSources }: NatContext) {
  const ispOfDev = (d: string | undefined) => isps.find((i) => i.isp.wanInterface === d);
  const snatNoIsp: string[] = [];
  const deadNat: string[] = [];
  const pins: NatAddressConfig[] = [];
  const pinFrom: string[][] = [];
  for (const rule of rules) {
    const ref: IptRuleRef = { table: "nat", chain: "POSTROUTING", spec: rule.spec };
    const text = iptText(ref);
    const target = /(?:^| )-j (\S+)/.exec(rule.spec)?.[1];
    if (target !== "SNAT" && target !== "MASQUERADE") continue;
    const o = simpleOptions(rule.spec, ["-s", "-o", "-j", "--to-source"]);
    const d = ispOfDev(o?.get("-o"));
    const to = o?.get("--to-source");
    if (!o || !o.has("-o") || (target === "SNAT" && (!to || !isIpv4(to)))) {
      keep(
        text,
        "a NAT rule Switchyard cannot express (no single outgoing interface, a port or address range, or more matches than source and interface); left as it is",
      );
      continue;
    }
    if (!d) {
      snatNoIsp.push(text);
      keep(text, `${o.get("-o")} is no ISP's interface`);
      continue;
    }
    const src = o.get("-s");
    const pinned = hostAddress(src);
    if (src && !isLanNet(src) && !(pinned && inLan(pinned))) {
      keep(text, `it NATs ${src}, which is neither the LAN nor one LAN host`);
      continue;
    }
    if (to && !(addresses.some((a) => a.address === to && a.dev === d.isp.wanInterface) && inSubnet(to, d.isp.linkAddress, d.isp.linkPrefix))) {
      snatNoIsp.push(text);
      keep(text, `${to} is not an address of ${d.isp.name}'s link ${cidrNetwork(d.isp.linkAddress, d.isp.linkPrefix)} on ${d.isp.wanInterface}`);
      continue;
    }
    if (d.natKind) {
      deadNat.push(text);
      keep(text, `an earlier rule already NATs everything leaving ${d.isp.wanInterface}: this one never matches`);
      continue;
    }
    if (pinned) {
      if (target !== "SNAT") keep(text, "MASQUERADE for one host: it leaves with the link's address anyway");
      else {
        pins.push({ address: to!, isp: d.isp.name, isDefault: false, host: pinned });
        pinFrom.push([text]);
        takeover.push({ iptables: ref });
      }
      continue;
    }
    d.natKind = target;
    d.isp.natMode = target;
    if (target === "SNAT") d.nat = { address: to!, from: text };
    d.from.push(text);
    if (src) takeover.push({ iptables: ref });
    else kept.push({ iptables: ref, keep: keptWhy(otherSources) });
  }
  return { snatNoIsp, deadNat, pins, pinFrom };
}
