// `switchyard metrics-token list|create NAME|revoke NAME`: the bearer tokens of GET /metrics
// (lib/metrics/tokens.ts). A token is printed once, when created; only its hash is stored.
import type { Command } from "@/lib/cli/args";
import type { Actor } from "@/lib/data/audit";

type TokenCommand = Extract<Command, { name: "metrics-token" }>;
interface Io {
  json: boolean;
  actor: Actor;
  out: (text?: string) => void;
}

const when = (d: Date | null) =>
  d
    ? d
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z")
    : "never";

export async function metricsTokenCommand(cmd: TokenCommand, { json, actor, out }: Io): Promise<number> {
  const tokens = await import("@/lib/metrics/tokens");
  if (cmd.action === "list") {
    const rows = await tokens.listMetricsTokens();
    if (json)
      out(
        JSON.stringify(
          { ok: true, tokens: rows.map((r) => ({ name: r.name, hint: r.hint, createdAt: r.createdAt, createdBy: r.createdBy, lastUsedAt: r.lastUsedAt })) },
          null,
          2,
        ),
      );
    else if (!rows.length) out("No metrics tokens: GET /metrics refuses every scrape. Create one with `switchyard metrics-token create NAME`.");
    else for (const r of rows) out(`  ${r.name}  ${r.hint}…  created ${when(r.createdAt)} by ${r.createdBy}, last used ${when(r.lastUsedAt)}`);
    return 0;
  }
  if (cmd.action === "create") {
    const r = await tokens.createMetricsToken(cmd.tokenName, actor);
    if (!r.ok) {
      const message = r.errors.name?.[0] ?? "the token was not created";
      if (json) out(JSON.stringify({ ok: false, error: message }, null, 2));
      else process.stderr.write(`switchyard: ${message}\n`);
      return 1;
    }
    if (json) out(JSON.stringify({ ok: true, name: r.row.name, token: r.token }, null, 2));
    else {
      out(`Created metrics token "${r.row.name}". It is shown only now (Switchyard keeps its hash):`);
      out(r.token);
      out("A scraper sends it as: Authorization: Bearer <token>");
    }
    return 0;
  }
  const gone = await tokens.revokeMetricsToken(cmd.tokenName, actor);
  const message = gone
    ? `Revoked metrics token "${cmd.tokenName}": scrapes with it are refused from now on.`
    : `There is no metrics token named "${cmd.tokenName}".`;
  if (json) out(JSON.stringify({ ok: gone, ...(gone ? { revoked: cmd.tokenName } : { error: message }) }, null, 2));
  else if (gone) out(message);
  else process.stderr.write(`switchyard: ${message}\n`);
  return gone ? 0 : 1;
}
