// Apply the staged configuration (or a past revision) and record the result.
// The UI, the CLI and boot all come through here.
import { db } from "@/lib/db";
import { loadConfig, replaceConfig } from "@/lib/data/config";
import { recordAudit, type Actor } from "@/lib/data/audit";
import type { GatewayConfig } from "@/lib/model";
import { labUp, probeEgress } from "@/lib/lab/lab";
import type { StepEvent } from "@/lib/net/apply";
import { validateConfig } from "@/lib/validation";
import { applyAndVerify, type ApplyReport, type RunOptions } from "./run";
import { resolveTarget, type ManagedTarget } from "./target";
import { writeRtTables } from "./rt-tables-file";
import { render } from "@/lib/net/render";

export interface ApplyRequest {
  actor: Actor;
  source: "ui" | "cli" | "reapply" | "boot" | "monitor";
  managed?: ManagedTarget;
  onStep?: (e: StepEvent) => void;
  fault?: RunOptions["fault"];
  rollbackOnVerifyFailure?: boolean;
}

export interface RecordedApply {
  revisionId: number;
  report: ApplyReport;
}

async function applyConfig(config: GatewayConfig, req: ApplyRequest): Promise<RecordedApply> {
  const managed = req.managed ?? resolveTarget();
  if (managed.labPrefix) {
    // the lab follows the config: new hosts get a namespace, new ISPs a link
    req.onStep?.({ step: "observe", state: "running", detail: "bringing the lab in line with the config" });
    await labUp(config, { prefix: managed.labPrefix });
  }
  if (managed.target.kind === "host") await writeRtTables(render(config).state.rtTables);
  const probe = managed.labPrefix ? (a: string) => probeEgress(managed.labPrefix!, a) : undefined;
  const report = await applyAndVerify(config, managed, {
    probe, onStep: req.onStep, fault: req.fault, rollbackOnVerifyFailure: req.rollbackOnVerifyFailure,
  });
  const revision = await db.$transaction(async (tx) => {
    const rev = await tx.revision.create({
      data: {
        actor: req.actor.username, source: req.source, target: report.target,
        config: JSON.stringify(config), ruleset: report.script, plan: JSON.stringify(report.planLines),
        result: report.result, error: report.error ?? null,
        verification: report.verification ? JSON.stringify(report.verification) : null,
        journal: JSON.stringify(report.journal),
        durationMs: report.durationMs,
      },
    });
    await recordAudit(tx, req.actor, "apply", `revision ${rev.id}`, null, { result: report.result, changes: report.planLines.length, failedStep: report.failedStep }, report.ok ? "ok" : "failed");
    return rev;
  });
  return { revisionId: revision.id, report };
}

export async function applyStaged(req: ApplyRequest): Promise<RecordedApply> {
  const config = await loadConfig();
  const v = validateConfig(config);
  if (!v.ok) throw new Error(`the staged configuration is not valid: ${v.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return applyConfig(v.config, req);
}

/**
 * Re-apply a past revision. From the UI it becomes the staged configuration again
 * (what you see is what runs); at boot (restage: false) staged edits that were
 * never applied are left alone and only the kernel is brought back.
 */
export async function reapplyRevision(id: number, req: ApplyRequest, opts: { restage?: boolean } = {}): Promise<RecordedApply> {
  const rev = await db.revision.findUnique({ where: { id } });
  if (!rev) throw new Error(`there is no revision ${id}`);
  const v = validateConfig(JSON.parse(rev.config));
  if (!v.ok) throw new Error(`revision ${id} no longer validates: ${v.issues.map((i) => i.message).join("; ")}`);
  if (opts.restage !== false) {
    await replaceConfig(v.config);
    await recordAudit(db, req.actor, "config.restore", `revision ${id}`, null, null);
  }
  return applyConfig(v.config, { ...req, source: req.source === "boot" ? "boot" : "reapply" });
}

/** The configuration of the last apply that left the gateway as intended. */
export async function lastGoodRevision() {
  return db.revision.findFirst({ where: { result: { in: ["applied", "unchanged"] } }, orderBy: { id: "desc" } });
}

export async function listRevisions(limit = 100) {
  return db.revision.findMany({ orderBy: { id: "desc" }, take: limit });
}

export async function getRevision(id: number) {
  return db.revision.findUnique({ where: { id } });
}

/** The monitor's failover: a configuration derived from an applied one (hosts of a down ISP moved), applied and recorded like any other. */
export function applyDerivedConfig(config: GatewayConfig, req: ApplyRequest): Promise<RecordedApply> {
  return applyConfig(config, req);
}
