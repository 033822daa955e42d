// The live view of the gateway that GET /api/kernel answers (polled every ~2 s by
// the Live kernel page and the dashboard). Built by lib/engine/live.ts.
import type { Override } from "@/lib/net/lint";
import type { PlanLine } from "@/lib/net/plan";
import type { IptChain, NftSet, Route, Rule } from "@/lib/net/types";

export interface IspLive {
  name: string;
  wanInterface: string;
  /** operstate of the WAN interface: "UP", "DOWN", "LOWERLAYERDOWN", or "MISSING" */
  link: string;
  /** neighbour state of the ISP gateway (REACHABLE, STALE, DELAY, FAILED, ...); null when never resolved */
  gatewayNeighbour: string | null;
  /** forwarded bytes/packets counted by SWYD-ACCT (-o wan = tx, -i wan = rx); counters since the chain was loaded */
  txBytes: number;
  rxBytes: number;
  txPackets: number;
  rxPackets: number;
  /** open connections whose mark is this ISP's */
  flows: number;
  /** from the staged config (optional, added for the live view): the ISP's routing table and mark, and whether it carries traffic */
  routingTable?: number;
  mark?: number;
  enabled?: boolean;
}

export interface HostLive {
  address: string;
  /** the configured host's name (optional, added for the live view); absent for LAN addresses not in the config */
  name?: string;
  /** open connections of this host by the ISP their mark says ("unmarked" when 0) */
  flowsByIsp: Record<string, number>;
}

export interface LiveSnapshot {
  target: string;
  observedAt: string;
  /** false when the gateway could not be read; error says why */
  ok: boolean;
  error?: string;
  isps: IspLive[];
  hosts: HostLive[];
  /** chains: iptables chains and (table "nft") those of Switchyard's nftables table; sets: that table's sets and maps */
  owned: { rules: Rule[]; routes: Route[]; chains: IptChain[]; sets?: NftSet[] };
  /** nftTables: the other nftables tables ("family name"), never touched */
  /** v6: the IPv6 rules and routes that are not Switchyard's (lib/net/observe.ts) */
  foreign: { rules: Rule[]; routes: Route[]; chains: IptChain[]; nftTables?: string[]; v6?: { rules: Rule[]; routes: Route[] } };
  /** the netfilter backend Switchyard runs on the gateway now */
  firewall?: "iptables" | "nftables";
  /** built-in chains with their counters (hooks are visible there) */
  builtins: IptChain[];
  /** owned objects that differ from what the last good revision applied */
  drift: PlanLine[];
  /** foreign objects that override Switchyard, with the hosts each affects (lib/net/lint.ts) */
  overrides?: Override[];
  /** ISPs whose WAN link is down */
  downIsps?: string[];
  /** set when Switchyard's state vanished from the kernel: what probably removed it */
  vanished?: string | null;
  lastGoodRevision: number | null;
  /**
   * someone held the apply lock while this was read (or a revision was recorded meanwhile): the
   * kernel may be between two revisions, so its difference from the last good one is no drift
   */
  applying?: { holder: string; since: string } | null;
  /** milliseconds this snapshot took to read, for the page to show its own cost */
  readMs: number;
}
