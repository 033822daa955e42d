// Settings → Metrics: the bearer tokens GET /metrics accepts (docs/metrics.md).
import Link from "next/link";
import { Card, PageHeader, Table, td } from "@/components/ui/page";
import { requireUserPage } from "@/lib/auth/guard";
import { listMetricsTokens } from "@/lib/metrics/tokens";
import { TokenForm } from "@/components/metrics/token-form";
import { RevokeButton } from "@/components/metrics/revoke-button";
import { createTokenAction, revokeTokenAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Metrics" };

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never");

export default async function MetricsPage() {
  await requireUserPage();
  const tokens = await listMetricsTokens();
  return (
    <>
      <PageHeader
        title="Metrics"
        description="Prometheus, Grafana or Home Assistant read /metrics (the Prometheus text format) with a token made here: per-ISP state, RTT, loss, bytes, failovers, applies."
      />
      <p className="mb-4 text-sm">
        <Link href="/settings" className="underline">
          ← Settings
        </Link>
      </p>
      <Card className="mb-6">
        <h2 className="mb-2 text-lg font-semibold">New token</h2>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          The scraper sends it as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/metrics</code>. Tokens are not part of the configuration export:
          make new ones for a restored gateway.
        </p>
        <TokenForm action={createTokenAction} />
      </Card>
      <h2 className="mb-2 text-lg font-semibold">Tokens</h2>
      {tokens.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No tokens yet: /metrics refuses every scrape.</p>
      ) : (
        <Table head={["Name", "Starts with", "Created", "Last used", ""]}>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td className={td}>{t.name}</td>
              <td className={`${td} font-mono`}>{t.hint}…</td>
              <td className={td}>
                {when(t.createdAt)} by {t.createdBy}
              </td>
              <td className={td}>{when(t.lastUsedAt)}</td>
              <td className={td}>
                <RevokeButton name={t.name} action={revokeTokenAction} />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
