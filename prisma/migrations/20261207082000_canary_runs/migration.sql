-- The canary's proofs between applies, written by the monitor
CREATE TABLE "CanaryRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "report" TEXT NOT NULL
);
CREATE INDEX "CanaryRun_at_idx" ON "CanaryRun"("at");
