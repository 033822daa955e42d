// The outcome of an apply as a badge: applied, unchanged, failed, rolled back.
import { Badge } from "@/components/ui/page";

const LOOK: Record<string, { tone: "green" | "red" | "amber" | "slate"; label: string }> = {
  applied: { tone: "green", label: "verified" },
  unchanged: { tone: "green", label: "verified, unchanged" },
  "rolled-back": { tone: "red", label: "failed, rolled back" },
  failed: { tone: "red", label: "failed" },
};

export function ResultBadge({ result }: { result: string }) {
  const look = LOOK[result] ?? { tone: "slate" as const, label: result };
  return <Badge tone={look.tone}>{look.label}</Badge>;
}
