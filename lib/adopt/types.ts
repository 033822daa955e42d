// Adopting a hand-made setup: what the inference reads, what it proposes, and the list of
// the old objects an apply with "take over" replaces by Switchyard's own.
import type { GatewayConfig, IspConfig } from "@/lib/model";
import type { ObservedState } from "@/lib/net/observe";
import type { IptTable, Route, Rule } from "@/lib/net/types";

export interface IfAddress {
  dev: string;
  address: string;
  prefix: number;
}

/** One "NUMBER NAME" line of rt_tables (or rt_tables.d/*.conf) and the file it is in. */
export interface RtTableLine {
  number: number;
  name: string;
  file: string;
}

export interface AdoptInput {
  /** the kernel as observe() classifies it: only foreign objects are adopted */
  observed: ObservedState;
  addresses: IfAddress[];
  /** global IPv6 addresses (absent: IPv6 was not read, e.g. an older fixture) */
  addresses6?: IfAddress[];
  rtTables: RtTableLine[];
}

/** One proposed item (an ISP, a host, a NAT address, a setting) and the exact objects it was read from. */
export interface ProposedItem {
  /** where it sits in the proposed config: "isps.0", "hosts.1", "natAddresses.0", "settings.defaultIsp" */
  path: string;
  label: string;
  value: string;
  from: string[];
}

/** An object the inference could not map to the model: it stays foreign, with the reason. */
export interface NotUnderstood {
  object: string;
  why: string;
}

/** What the old setup got wrong, in plain words. */
export interface OldSetupProblem {
  title: string;
  detail: string;
}

/** A foreign iptables rule in a built-in chain, as iptables-save prints it (without "-A CHAIN "). */
export interface IptRuleRef {
  table: IptTable;
  chain: string;
  spec: string;
}

/**
 * One old object that an apply with "take over" replaces. Exactly one of rule, route, iptables is set.
 * With keep, the object is one the proposal was read from but that covers more than Switchyard
 * renders (a NAT rule without a source match NATs the tunnel's subnet too): the take over leaves
 * it in place, and the plan says so with this reason.
 */
export interface TakeoverItem {
  rule?: Rule;
  route?: Route;
  iptables?: IptRuleRef;
  keep?: string;
}

/** The staged take over: the foreign objects the adopted configuration was built from. */
export interface Takeover {
  /** what was adopted, e.g. "netns ha-gw" */
  source: string;
  items: TakeoverItem[];
}

export interface Adoption {
  /** null: nothing that looks like a multi-ISP setup (the empty box) */
  config: GatewayConfig | null;
  /** why there is no proposal */
  nothing?: string;
  items: ProposedItem[];
  notUnderstood: NotUnderstood[];
  problems: OldSetupProblem[];
  /** the objects the proposal was built from, which "take over" would replace */
  takeover: TakeoverItem[];
  /** objects the proposal was built from that "take over" leaves in place (each with keep: why) */
  kept: TakeoverItem[];
}

/** An ISP while the inference reads it (lib/adopt/infer.ts, infer-nat.ts). */
export interface IspDraft {
  isp: IspConfig;
  oldMark?: { value: number; mask: number; priority: number };
  from: string[];
  nat: { address: string; from: string } | null;
  natKind?: "SNAT" | "MASQUERADE";
  lanRoutes: string[];
  hasSourceRule: boolean;
}
