-- CreateTable
CREATE TABLE "IspHealthSettings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "isp" TEXT NOT NULL,
    "targets" TEXT NOT NULL,
    "intervalMs" INTEGER NOT NULL DEFAULT 1000,
    "timeoutMs" INTEGER NOT NULL DEFAULT 1000,
    "downAfter" INTEGER NOT NULL DEFAULT 5,
    "upAfter" INTEGER NOT NULL DEFAULT 5,
    "lossDegradedPct" INTEGER NOT NULL DEFAULT 20,
    "lossDownPct" INTEGER NOT NULL DEFAULT 60,
    "rttDegradedMs" INTEGER NOT NULL DEFAULT 250,
    "rttDownMs" INTEGER NOT NULL DEFAULT 1500,
    "minHoldMs" INTEGER NOT NULL DEFAULT 10000,
    "maxChanges" INTEGER NOT NULL DEFAULT 6,
    "changeWindowMs" INTEGER NOT NULL DEFAULT 300000,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "IspHealth" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "isp" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "linkUp" BOOLEAN NOT NULL DEFAULT true,
    "rttMs" REAL,
    "lossPct" REAL NOT NULL DEFAULT 0,
    "reason" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HealthEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "isp" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "reason" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "IspHealthSettings_isp_key" ON "IspHealthSettings"("isp");

-- CreateIndex
CREATE UNIQUE INDEX "IspHealth_isp_key" ON "IspHealth"("isp");

-- CreateIndex
CREATE INDEX "HealthEvent_at_idx" ON "HealthEvent"("at");
