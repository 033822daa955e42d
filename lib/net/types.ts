// Typed kernel state. render() produces it from the config, observe() parses
// it from the kernel, plan() compares the two. Both sides use the same
// normalised forms so that equal means equal.
import type { Family } from "./family";

/**
 * Switchyard puts its ip rules at priorities in this range, but owns them by their
 * protocol tag (ROUTE_PROTO), not by the range: a foreign rule inside it is never touched.
 */
export const RULE_PRIORITY_MIN = 10000;
export const RULE_PRIORITY_MAX = 10999;
/** Routes and ip rules Switchyard installs carry this protocol number ("proto 201"), so they can be told from foreign ones. */
export const ROUTE_PROTO = 201;
export const ROUTE_PROTO_NAME = "switchyard";
/** Switchyard uses only these bits of the packet and connection mark. */
export const MARK_MASK = 0xff;
/** Own iptables chains all start with this prefix. */
export const CHAIN_PREFIX = "SWYD-";

export type IptTable = "mangle" | "nat" | "filter";
export const BUILTIN_NAMES = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];
/** Where a chain lives: an iptables table, or Switchyard's own nftables table (NFT_TABLE). */
export type ChainTable = IptTable | "nft";

/** Switchyard's nftables table: the nftables backend touches nothing else. */
export const NFT_FAMILY = "inet";
export const NFT_NAME = "switchyard";
export const NFT_TABLE = `${NFT_FAMILY} ${NFT_NAME}`;

/** An nftables base chain's hook (regular chains have none). */
export interface NftBase {
  type: "filter" | "nat";
  hook: "prerouting" | "forward" | "postrouting" | "input" | "output";
  priority: number;
  policy: "accept" | "drop";
}

/** An nftables set (`map` absent) or map (`map`: the data type, e.g. "verdict"). */
export interface NftSet {
  name: string;
  type: string;
  map?: string;
  /** per-element counters */
  counter?: boolean;
  elements: NftElement[];
}

export interface NftElement {
  /** as nft prints it: "192.168.1.101", "0x00000001" */
  key: string;
  /** maps only: "jump SWYD-ISP1" */
  value?: string;
  packets?: number;
  bytes?: number;
}

export interface RtTableEntry {
  number: number;
  name: string;
}

export interface Route {
  /** 4 or 6 (lib/net/family.ts): the family `ip -4|-6 route` was read with, or render wrote it for */
  family: Family;
  table: number; // 254 = main
  dst: string; // "default" or a CIDR, e.g. "192.168.1.0/24"
  /** a source-specific route's source prefix (IPv6: `default from 2001:db8:a::/48 via ...`) */
  from?: string;
  gateway?: string;
  dev: string;
  src?: string;
  /** absent = global: `ip` prints no scope for global routes, so the parser never emits "global" */
  scope?: "link" | "global" | "host" | "site" | "nowhere";
  protocol?: string; // as `ip` prints it, e.g. "201", "kernel", "boot"
  metric?: number;
  /** `onlink`: the gateway is reachable on the device though outside its subnet (a /32 point-to-point link) */
  onlink?: boolean;
  /** multipath routes only; `dev` is then "" */
  nexthops?: Nexthop[];
}

export interface Nexthop {
  gateway?: string;
  dev: string;
  weight?: number;
}

export interface Rule {
  /** 4 or 6 (lib/net/family.ts): ip rules are per family, like routes */
  family: Family;
  priority: number;
  src?: string; // CIDR or address; absent = all
  dst?: string;
  fwmark?: number;
  fwmask?: number;
  iif?: string;
  table: number; // 254 = main; 0 for rules that look up no table (goto, nop, unreachable, ...)
  suppressPrefixLength?: number;
  /** `not`: the kernel inverts the whole match, not just `from` */
  not?: boolean;
  oif?: string;
  /** absent = look up `table`; else "goto" | "nop" | "unreachable" | "blackhole" | "prohibit" */
  action?: string;
  /** target priority of a goto rule */
  goto?: number;
  /** "201" on Switchyard's own rules; `ip -json rule` prints no "protocol" for rules added without one */
  protocol?: string;
  /** selectors the parser does not model (tos, ipproto, dport, uid range, ...), raw as `ip` printed them */
  extra?: Record<string, unknown>;
}

export interface IptRule {
  /** iptables: normalised as iptables-save prints it, without the "-A CHAIN "; nftables: as Switchyard prints nft's JSON (lib/net/parse/nft-json.ts), without counters */
  spec: string;
  packets?: number;
  bytes?: number;
}

export interface IptChain {
  table: ChainTable;
  name: string;
  rules: IptRule[];
  /** nftables base chains: the hook */
  base?: NftBase;
  /** 6: an ip6tables chain (the iptables backend's IPv6 part); absent: IPv4 (iptables) or nftables */
  family?: 6;
}

/** A jump from a built-in chain into one of ours, e.g. mangle PREROUTING "-j SWYD-PRE". */
export interface IptHook {
  table: IptTable;
  chain: string;
  spec: string;
  /** appended at the end of the built-in chain instead of inserted first (the mark re-assertion) */
  last?: boolean;
  /** 6: a jump in ip6tables' built-in chain; absent: iptables' (IPv4) */
  family?: 6;
}

/** A network interface as `ip -json link` shows it: routes through a device that is not UP cannot be installed. */
export interface Link {
  name: string;
  up: boolean;
  carrier: boolean;
}

export interface KernelState {
  rtTables: RtTableEntry[];
  routes: Route[];
  rules: Rule[];
  chains: IptChain[];
  hooks: IptHook[];
  /** nftables only: the sets and maps of NFT_TABLE (absent or empty with iptables) */
  sets?: NftSet[];
  /** observed only: interfaces and their state (plan skips routes through a device that is down) */
  links?: Link[];
}

/** One line of a plan, as the pages and the CLI show it. */
export interface PlanLine {
  /** "=": said, not done (an old object a take over keeps on purpose) */
  op: "+" | "-" | "~" | "=";
  kind: "route" | "rule" | "chain" | "hook" | "set" | "conntrack" | "takeover" | "sysctl";
  text: string;
}
