// Shapes the dashboard passes around: from the page to the board, and the answers
// of GET /api/plan and POST /api/apply. Types only: safe to import anywhere.
import type { ConfigChange } from "@/lib/config-diff";
import type { ApplyReport } from "@/lib/engine/run";
import type { StepEvent } from "@/lib/net/apply";
import type { Ipv6Isp } from "@/lib/board/ipv6-line";

export interface BoardIsp {
  name: string;
  wanInterface: string;
  /** the NAT addresses its hosts leave from, or "MASQUERADE (link address)" */
  nat: string[];
  natMode: "SNAT" | "MASQUERADE";
  enabled: boolean;
  isDefault: boolean;
}

/** A policy column: its name and the policy in words ("fiber, then lte", "balanced 2:1 (fiber, lte)"). */
export interface BoardPolicy {
  name: string;
  words: string;
  /** everyone else (the hosts without an ISP or policy of their own) uses it */
  isDefault: boolean;
  /** its ISPs, for the cards' IPv6 line (only when some ISP has IPv6) */
  isps?: string[];
}

/** Where a host sits on the board: an ISP's column, a policy's, or the default's (null). */
export type Place = { isp: string } | { policy: string } | null;

/** Where the gateway sends a host's new connections by its policy, with every ISP up (lib/net/render/targets.ts resolveHost). */
export interface BoardRoute {
  policy: string;
  isps: { name: string; weight: number }[];
  sticky: boolean;
  unreachable: boolean;
  because: string | null;
}

export interface BoardHost {
  id: number;
  name: string;
  address: string;
  /** the staged ISP (null: none of its own) */
  isp: string | null;
  /** the staged policy (null: none) */
  policy: string | null;
  /** the host as the gateway last ran it; null: not in the last applied config */
  applied: { isp: string | null; policy: string | null; address: string } | null;
  /** set when the gateway sends it by a policy (its own or everyone else's), as last applied */
  route: BoardRoute | null;
  /** what the last applied revision proved for it: the ISP it verified on and the address the test server saw */
  verified: { ok: boolean; isp: string | null; seenAs?: string; reason?: string } | null;
  /** the LAN it sits on, when the gateway has several; with the ISP its LAN's unlisted hosts use when that LAN names its own */
  lan?: { name: string; defaultIsp: string | null };
  /** it has a MAC (its IPv6 is matched by it); only when some ISP has IPv6 */
  hasMac?: boolean;
  /** no MAC yet: the one the gateway's neighbour table shows for its address (offered: "Use it"); only when some ISP has IPv6 */
  seenMac?: string;
}

/** The board shows one page of the hosts a search matches (app/(admin)/page.tsx); null: every host, no search. */
export interface BoardPaging {
  /** the search (?q=) the page was found by, "" for none */
  q: string;
  page: number;
  pages: number;
  /** "hosts 201-400 of 10000", "3 of 10000 hosts match" */
  words: string;
  /** hosts per column id (components/board/dnd.ts columnId), over every host, not only the page */
  columnCounts: Record<string, number>;
}

export interface BoardData {
  isps: BoardIsp[];
  policies: BoardPolicy[];
  /** the hosts shown: all of them, or one page (paging) */
  hosts: BoardHost[];
  paging: BoardPaging | null;
  /** the ISP unassigned hosts use, null when no ISP is usable */
  defaultIsp: string | null;
  /** the policy unassigned hosts use instead, when there is one */
  defaultPolicy: string | null;
  /** the first staged changes (at most STAGED_SHOWN: 10,000 new hosts are a list nobody reads) */
  stagedChanges: ConfigChange[];
  /** how many changes are staged in all */
  stagedCount: number;
  lastApplied: { revisionId: number; at: string; actor: string } | null;
  /** the newest revision, when it did not verify (its changes are still staged) */
  lastFailure: { revisionId: number; at: string; result: string } | null;
  /** the ISPs with IPv6 (lib/board/ipv6-line.ts); absent when none has it (the cards show no IPv6 line) */
  ipv6Isps?: Ipv6Isp[];
  /** the ISPs without IPv6 that refuse their hosts' IPv6 (IspConfig.ipv6Hosts "unreachable"); absent when none */
  ipv6Refusing?: string[];
}

/** Staged changes the board lists; the banner says how many more there are. */
export const STAGED_SHOWN = 100;

export type ApplyStreamEvent = ({ type: "step" } & StepEvent) | { type: "done"; revisionId: number; report: ApplyReport } | { type: "error"; message: string };

/** Staged: the host is new since the last apply, or it sat elsewhere then (lib/engine/staged.ts hostIsStaged, for the browser). */
export const isStaged = (h: BoardHost) => !h.applied || h.applied.isp !== h.isp || h.applied.policy !== h.policy || h.applied.address !== h.address;
