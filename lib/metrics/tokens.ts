// Bearer tokens for GET /metrics. A token is 32 random bytes (base64url) behind "swm_"; only its
// SHA-256 is stored (a random 256-bit secret needs no slow hash: nothing to guess from the hash),
// so the token is shown once, when created. Tokens are not in the configuration export: the file
// is meant to be copied around (backups, other gateways) and a token must not travel with it; a
// restored gateway gets new tokens made for it.
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { recordAudit, type Actor } from "@/lib/data/audit";
import { bearerToken, metricsTokenName } from "@/lib/validation/metrics";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface TokenRow {
  id: number;
  name: string;
  hint: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
}

export type CreateResult = { ok: true; token: string; row: TokenRow } | { ok: false; errors: Record<string, string[]> };

export async function createMetricsToken(rawName: unknown, actor: Actor): Promise<CreateResult> {
  const parsed = metricsTokenName.safeParse(rawName);
  if (!parsed.success) return { ok: false, errors: { name: [parsed.error.issues[0].message] } };
  const name = parsed.data;
  const token = `swm_${randomBytes(32).toString("base64url")}`;
  try {
    const row = await db.$transaction(async (tx) => {
      const r = await tx.metricsToken.create({ data: { name, hash: hashToken(token), hint: token.slice(0, 8), createdBy: actor.username } });
      await recordAudit(tx, actor, "metrics-token.create", name, null, { name, hint: r.hint });
      return r;
    });
    return { ok: true, token, row: strip(row) };
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") return { ok: false, errors: { name: [`A token named "${name}" exists already`] } };
    throw e;
  }
}

const strip = ({ hash: _hash, ...row }: TokenRow & { hash: string }): TokenRow => row;

export async function listMetricsTokens(): Promise<TokenRow[]> {
  return (await db.metricsToken.findMany({ orderBy: { id: "asc" } })).map(strip);
}

/** Revoke by name; false when there is no such token. */
export async function revokeMetricsToken(name: string, actor: Actor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const row = await tx.metricsToken.findUnique({ where: { name } });
    if (!row) return false;
    await tx.metricsToken.delete({ where: { id: row.id } });
    await recordAudit(tx, actor, "metrics-token.revoke", name, { name, hint: row.hint }, null);
    return true;
  });
}

/** The Authorization header's token, if it is one we hold (its last use recorded, at most once a minute). */
export async function checkBearer(header: string | null): Promise<TokenRow | null> {
  if (!header || !bearerToken.safeParse(header).success) return null;
  const row = await db.metricsToken.findUnique({ where: { hash: hashToken(header.slice("Bearer ".length)) } });
  if (!row) return null;
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.metricsToken.update({ where: { id: row.id }, data: { lastUsedAt: now } }).catch(() => {}); // revoked meanwhile: nothing to record
  }
  return strip(row);
}
