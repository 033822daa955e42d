// The human text the commands share: plan lines, drift, verification, the canary, apply steps
// (on stderr, live) and foreign objects that override Switchyard.
import type { PlanLine } from "@/lib/net/plan";
import type { VerifyReport } from "@/lib/net/verify";
import type { StepEvent } from "@/lib/net/apply";
import { cli, out, note, table, plural, when } from "@/lib/cli/context";

export function printLines(lines: PlanLine[], indent = "  ") {
  for (const l of lines) out(`${indent}${l.op} ${l.text}`);
}

export function pathText(p: VerifyReport["hosts"][number]["predicted"]): string {
  if (!p) return "-";
  if (p.error) return `error: ${p.error}`;
  return [`table ${p.table ?? "?"}`, p.gateway ? `via ${p.gateway}` : "", p.dev ? `dev ${p.dev}` : ""].filter(Boolean).join(" ");
}

export function printVerification(v: VerifyReport) {
  const how = [v.probed ? "real traffic" : "", v.canary?.available ? "the canary" : "", "route lookup"].filter(Boolean).join(", ");
  out(`Verification (${how}): ${v.ok ? "ok" : "FAILED"}`);
  if (v.hosts.length) {
    const rows = [["HOST", "ADDRESS", "ISP", "PREDICTED PATH", "SEEN AS", "PROOF", "RESULT"]];
    for (const h of v.hosts) {
      const proof = h.proof === "traffic" ? "its traffic" : h.proof === "canary" ? `canary ${h.provenBy}` : "predicted only";
      rows.push([
        h.name,
        h.address,
        h.isp ?? "-",
        pathText(h.predicted),
        h.seenAs ?? (v.probed ? "-" : "(no probe)"),
        proof,
        h.ok ? "ok" : `FAILED: ${h.reason ?? ""}`,
      ]);
    }
    out(table(rows));
    // each host's IPv6, judged apart (lib/net/verify6-hosts.ts)
    const six = v.hosts.filter((h) => h.ipv6);
    if (six.length) {
      const rows6 = [["HOST", "IPV6 LEAVES", "PROOF", "RESULT"]];
      for (const h of six) {
        const x = h.ipv6!;
        rows6.push([h.name, x.leaves, x.proof === "canary" ? `IPv6 canary ${x.provenBy}` : "predicted only", x.ok ? "ok" : `FAILED: ${x.reason ?? ""}`]);
      }
      out(table(rows6));
    }
  } else {
    out("  (no hosts to check: this is not a pass)");
  }
  for (const i of v.isps.filter((i) => !i.ok)) out(`  ISP ${i.name}: ${i.down ? "DOWN" : "FAILED"}: ${i.reason ?? ""}`);
  printCanary(v.canary);
  if (v.summary) out(`  ${v.summary}`);
  printOverrides(v.overrides ?? []);
  if (!v.stateMatches) {
    out(`  The gateway differs from the desired state in ${plural(v.drift.length, "object")}:`);
    printLines(v.drift, "    ");
  }
}

export function printCanary(c: VerifyReport["canary"]) {
  if (!c) return;
  if (!c.available) return out(`  Canary: none (${c.reason})`);
  const rows = [["CANARY", "ADDRESS", "VIA", "TARGET", "SEEN AS", "RTT", "RESULT"]];
  for (const p of c.proofs) {
    rows.push([
      p.target,
      p.address,
      p.isps.join("|") || "-",
      p.probeTarget ?? "-",
      p.seenAs ?? "-",
      p.rttMs !== undefined ? `${p.rttMs} ms` : "-",
      p.ok ? "proven" : `FAILED: ${p.reason ?? ""}`,
    ]);
  }
  out(`  Canary (real packets through the gateway, ${c.durationMs ?? "?"} ms):`);
  out(
    table(rows)
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n"),
  );
  if (c.ipv6?.length) printCanary6(c.ipv6);
}

/** The IPv6 rows: one per slot and LAN /64 it sent from (absent without IPv6, so IPv4-only output is unchanged). */
function printCanary6(rows6: NonNullable<NonNullable<VerifyReport["canary"]>["ipv6"]>) {
  const rows = [["CANARY", "FROM /64", "ADDRESS", "VIA", "TARGET", "SEEN AS", "RTT", "RESULT"]];
  for (const p of rows6) {
    rows.push([
      p.target,
      `${p.subnet} (${p.owner})`,
      p.address,
      p.isps.join("|") || "-",
      p.probeTarget ?? "-",
      p.seenAs ?? "-",
      p.rttMs !== undefined ? `${p.rttMs} ms` : "-",
      p.skipped ? `not proven: ${p.reason ?? ""}` : p.ok ? (p.isps.length ? "proven" : (p.reason ?? "refused")) : `FAILED: ${p.reason ?? ""}`,
    ]);
  }
  out("  Canary over IPv6 (from each slot's address in each LAN /64):");
  out(
    table(rows)
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n"),
  );
}

export function stepPrinter(): ((e: StepEvent) => void) | undefined {
  if (cli.json) return undefined;
  return (e) => {
    if (e.state === "running" && !e.detail) return;
    const state = e.state === "failed" ? "FAILED" : e.state === "running" ? "..." : e.state;
    const ms = e.durationMs !== undefined ? ` (${e.durationMs} ms)` : "";
    note(`  ${e.step.padEnd(10)}${state}${ms}${e.detail ? `  ${e.detail}` : ""}`);
  };
}

/** Foreign objects that override Switchyard, with the hosts each affects ("*" = every LAN source). */
export function printOverrides(overrides: import("@/lib/net/lint").Override[]) {
  for (const o of overrides)
    out(
      `${o.neutralised ? "Neutralised" : "Overrides Switchyard"}: ${o.object}: ${o.effect} (hosts: ${o.hosts.includes("*") ? "all LAN" : o.hosts.join(", ")})`,
    );
}

export function driftSummary(last: { id: number; createdAt: Date } | null, drift: PlanLine[] | null, stagedChanged: boolean | null): string {
  if (!last || !drift) return "Drift: no revision has been applied cleanly yet, nothing to compare with.";
  const lines = [
    drift.length === 0
      ? `Drift: none, the gateway is as revision ${last.id} (${when(last.createdAt)}) left it.`
      : `Drift: the gateway differs from revision ${last.id} (${when(last.createdAt)}) in ${plural(drift.length, "object")} (changed outside Switchyard, or a failed apply):`,
  ];
  for (const l of drift) lines.push(`  ${l.op} ${l.text}`);
  lines.push(
    stagedChanged ? `The staged configuration has changes since revision ${last.id}.` : `The staged configuration is the one revision ${last.id} applied.`,
  );
  return lines.join("\n");
}
