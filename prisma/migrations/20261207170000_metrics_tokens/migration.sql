-- Metrics: bearer tokens for GET /metrics (lib/metrics/tokens.ts), stored as SHA-256 hashes only
CREATE TABLE "MetricsToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "lastUsedAt" DATETIME
);
CREATE UNIQUE INDEX "MetricsToken_name_key" ON "MetricsToken"("name");
CREATE UNIQUE INDEX "MetricsToken_hash_key" ON "MetricsToken"("hash");
