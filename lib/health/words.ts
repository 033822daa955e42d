// The same words on every screen (`switchyard status`, the Live page, the ISPs and Hosts
// lists, the board, the tab title): an ISP's health, its last canary proof, where a host goes
// now, what a column carries, who is applying. Pure: callers pass the clock.
import type { CanaryReport } from "@/lib/net/verify";
import type { HealthSnapshot, IspHealthInfo } from "./view-types";

/** 10:32:05, in the reader's time zone (the CLI's: the server's). */
export const clock = (iso: string | Date) => new Date(iso).toLocaleTimeString("en-GB", { hour12: false });

/** "40 s", "3 min 12 s", "2 h 5 min", "3 d 4 h": a duration for people (messages, uptime pages, status). */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "3 s ago", "2 min ago", "5 h ago", "4 d ago". */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : s < 86400 ? `${Math.floor(s / 3600)} h ago` : `${Math.floor(s / 86400)} d ago`;
}

/** "up since 10:32:05 (2 min ago)", "down since …", or "no health data yet (…)": never a state nobody measured. */
export function stateWords(info: IspHealthInfo, now: number): string {
  if (info.state === "unknown") return info.reason;
  return info.since ? `${info.state} since ${clock(info.since)} (${ago(now - Date.parse(info.since))})` : info.state;
}

/** "loss 0 % · RTT 1.2 ms", with "–" where there was no reading. */
export function measureWords(info: Pick<IspHealthInfo, "lossPct" | "rttMs">): string {
  return `loss ${info.lossPct === null ? "–" : `${Math.round(info.lossPct)} %`} · RTT ${info.rttMs === null ? "–" : `${info.rttMs.toFixed(1)} ms`}`;
}

/** One line per ISP: "ISP2: down since 10:32:05 (2 min ago): every target unanswered · loss 100 % · RTT –". */
export function healthLine(info: IspHealthInfo, now: number): string {
  if (info.state === "unknown") return `${info.isp}: ${info.reason}`;
  const why = info.state !== "up" && info.reason ? `: ${info.reason}` : "";
  return `${info.isp}: ${stateWords(info, now)}${why} · ${measureWords(info)}`;
}

export interface ProofShown {
  /** true: a canary connection through this ISP completed with its NAT address */
  ok: boolean | null;
  text: string;
}

/**
 * The last canary proof of an ISP, from the latest revision's verification report: the proof
 * of the canary target of that ISP itself ("ISP2"), else of any target that left through it.
 */
export function ispProof(report: CanaryReport | null | undefined, isp: string, now: number): ProofShown {
  if (!report) return { ok: null, text: "no canary proof yet" };
  if (!report.available) return { ok: null, text: `no canary proof: ${report.reason ?? "no canary on this gateway"}` };
  const p = report.proofs.find((x) => x.kind === "isp" && x.target === isp) ?? report.proofs.find((x) => x.isps.includes(isp));
  if (!p) return { ok: null, text: "no canary proof yet" };
  const when = ago(now - Date.parse(report.at));
  if (!p.ok) return { ok: false, text: `canary failed ${when}: ${p.reason ?? "no answer"}` };
  return {
    ok: true,
    text: `canary proved ${when}${p.seenAs ? `, left as ${p.seenAs}` : ""}${p.probeTarget ? ` to ${p.probeTarget}` : ""}${p.rttMs !== undefined ? ` in ${p.rttMs.toFixed(1)} ms` : ""}`,
  };
}

/** The names of the ISPs the monitor finds down now. */
export const downIsps = (isps: Pick<IspHealthInfo, "isp" | "state">[]) => isps.filter((i) => i.state === "down").map((i) => i.isp);

/** The browser tab's title: "ISP2 down · Dashboard · Switchyard" while an ISP is down. */
export function titleWithHealth(title: string, down: string[]): string {
  if (down.length === 0) return title;
  const names = down.length > 2 ? `${down.length} ISPs` : down.join(", ");
  return `${names} down · ${title}`;
}

/**
 * Where a host goes now when the monitor moved it: "now via ISP1: ISP2 down",
 * "now unreachable: no ISP of office is up", "now via ISP1 (last resort: …)". Null: it goes where it is set.
 * move: planFailover's (lib/health/effective.ts), from the resolver (lib/net/render/targets.ts).
 */
export function nowVia(move: { to: string; because?: string } | null | undefined): string | null {
  if (!move) return null;
  const because = (move.because ?? "").replace(/^failover: /, "");
  if (move.to === "unreachable") return `now unreachable${because ? `: ${because.replace(/^unreachable: /, "")}` : ""}`;
  return `now via ${move.to.split("+").join(" or ")}${because ? `: ${because}` : ""}`;
}

/** A host's "now" on the Hosts list: where the monitor moved it, or that its ISP is down with nowhere to go. */
export function hostNow(move: { to: string; because?: string } | null | undefined, isp: string | null, down: ReadonlySet<string>): string | null {
  return nowVia(move) ?? (isp && down.has(isp) ? `${isp} is down, no ISP up to fail over to` : null);
}

/** The ISPs a move sends a host to ("ISP1+ISP2" -> both; "unreachable" -> none). */
export const movedTo = (to: string) => (to === "unreachable" ? [] : to.split("+"));

/**
 * An ISP column's count: the hosts placed there, less those the monitor moved away, plus those it
 * moved in: "2 hosts", "3 hosts (2 by failover)", "0 hosts (1 moved away by failover)".
 */
export function columnCount(placed: number, movedIn: number, movedAway: number): string {
  const n = placed - movedAway + movedIn;
  const parts = [movedIn ? `${movedIn} by failover` : "", movedAway ? `${movedAway} moved away by failover` : ""].filter(Boolean);
  return `${n} ${n === 1 ? "host" : "hosts"}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/** "alice (ui, pid 123)" -> "alice (ui)": the lock's holder as a reader knows it. */
export const holderWords = (holder: string) => holder.replace(/,\s*pid \d+\)$/, ")").replace(/\s*\(pid \d+\)$/, "");

/** "Apply in progress by alice (ui) since 10:32:05". */
export const applyingWords = (a: { holder: string; since: string | Date }) => `Apply in progress by ${holderWords(a.holder)} since ${clock(a.since)}`;

/**
 * An ISP column's count: the hosts placed there (`placed`, by name), less those the monitor sends
 * elsewhere now, plus those it sends there from other columns. Pure.
 */
export function columnLoad(isp: string, placed: string[], moves: { host: string; to: string }[]): string {
  const l = ispLoad(isp, placed, moves);
  return columnCount(placed.length, l.movedIn, l.movedAway);
}

/** The numbers behind columnLoad: hosts carried now, moved in, moved away. Pure. */
export function ispLoad(isp: string, placed: string[], moves: { host: string; to: string }[]): { now: number; movedIn: number; movedAway: number } {
  const here = new Set(placed);
  const movedAway = moves.filter((m) => here.has(m.host) && !movedTo(m.to).includes(isp)).length;
  const movedIn = moves.filter((m) => !here.has(m.host) && movedTo(m.to).includes(isp)).length;
  return { now: placed.length - movedAway + movedIn, movedIn, movedAway };
}

/** What a page shows that changes without a click: the newest revision, each ISP's state, where the monitor sends hosts (FollowGateway compares it). */
export function followSignature(s: Pick<HealthSnapshot, "latest" | "isps" | "moves">): string {
  return JSON.stringify([s.latest?.id ?? null, s.isps.map((i) => [i.isp, i.state]), s.moves.map((m) => [m.host, m.to])]);
}
