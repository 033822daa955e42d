"use client";
// The Apply & verify flow in the browser: load the plan, then POST /api/apply and
// read its newline-delimited JSON as it arrives, one step at a time.
import { useCallback, useRef, useState } from "react";
import type { ApplyReport } from "@/lib/engine/run";
import type { StepEvent } from "@/lib/net/apply";
import type { PlanPayload } from "@/lib/engine/plan-types";
import type { ApplyStreamEvent } from "./types";

export type StepName = StepEvent["step"];
export const STEP_ORDER: StepName[] = [
  "observe",
  "plan",
  "precheck",
  "sysctls",
  "routing",
  "firewall",
  "cleanup",
  "takeover",
  "ra",
  "conntrack",
  "verify",
  "rollback",
];

export interface StepState {
  state: StepEvent["state"];
  detail?: string;
  durationMs?: number;
  startedAt?: number;
}
export type Steps = Partial<Record<StepName, StepState>>;

export type Phase =
  | { kind: "closed" }
  | { kind: "planning" }
  | { kind: "plan"; plan: PlanPayload }
  | { kind: "plan-error"; message: string }
  | { kind: "running" }
  | { kind: "done"; revisionId: number; report: ApplyReport; waitedMs?: number; stagedChanges?: number }
  | { kind: "error"; message: string };

async function errorText(res: Response): Promise<string> {
  if (res.status === 401) return "Your session has ended. Log in again, then apply.";
  const text = await res.text();
  try {
    return (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    return text.trim() || `The server answered ${res.status}.`;
  }
}

export function stepReducer(steps: Steps, e: StepEvent, now = Date.now()): Steps {
  const prev = steps[e.step];
  const startedAt = e.state === "running" ? (prev?.state === "running" ? prev.startedAt : now) : prev?.startedAt;
  const durationMs = e.durationMs ?? (e.state !== "running" && startedAt ? now - startedAt : undefined);
  return { ...steps, [e.step]: { state: e.state, detail: e.detail ?? prev?.detail, durationMs, startedAt } };
}

export function useApply() {
  const [phase, setPhase] = useState<Phase>({ kind: "closed" });
  const [steps, setSteps] = useState<Steps>({});
  const busy = useRef(false);
  const stagedChanges = useRef<number | undefined>(undefined);

  const loadPlan = useCallback(async () => {
    setPhase({ kind: "planning" });
    try {
      const res = await fetch("/api/plan", { cache: "no-store" });
      if (!res.ok) return setPhase({ kind: "plan-error", message: await errorText(res) });
      const plan = (await res.json()) as PlanPayload;
      stagedChanges.current = plan.stagedChanges.length;
      setPhase({ kind: "plan", plan });
    } catch (e) {
      setPhase({ kind: "plan-error", message: `Could not reach Switchyard: ${(e as Error).message}` });
    }
  }, []);

  const apply = useCallback(async (comment?: string) => {
    if (busy.current) return;
    const started = Date.now(); // what the user waits for, from Confirm to the verdict
    busy.current = true;
    setSteps({});
    setPhase({ kind: "running" });
    let finished = false;
    try {
      const res = await fetch("/api/apply", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(comment?.trim() ? { comment } : {}),
      });
      if (!res.ok || !res.body) {
        setPhase({ kind: "error", message: await errorText(res) });
        return;
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      const handle = (line: string) => {
        const e = JSON.parse(line) as ApplyStreamEvent;
        if (e.type === "step") setSteps((s) => stepReducer(s, e));
        else if (e.type === "done") {
          finished = true;
          setPhase({ kind: "done", revisionId: e.revisionId, report: e.report, waitedMs: Date.now() - started, stagedChanges: stagedChanges.current });
        } else {
          finished = true;
          setPhase({ kind: "error", message: e.message });
        }
      };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (line) handle(line);
        }
      }
      if (buf.trim()) handle(buf.trim());
      if (!finished)
        setPhase({ kind: "error", message: "The connection ended before the apply finished. It ran on the server anyway: see its result in History." });
    } catch (e) {
      if (!finished)
        setPhase({
          kind: "error",
          message: `The connection to Switchyard was lost (${(e as Error).message}). The apply runs on the server regardless: see its result in History.`,
        });
    } finally {
      busy.current = false;
    }
  }, []);

  const close = useCallback(() => setPhase({ kind: "closed" }), []);
  return { phase, steps, loadPlan, apply, close };
}
