-- Uptime and usage (lib/usage): bytes per ISP and local day, the last raw counter reading, monthly caps
CREATE TABLE "IspTraffic" (
    "isp" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "txBytes" REAL NOT NULL DEFAULT 0,
    "rxBytes" REAL NOT NULL DEFAULT 0,

    PRIMARY KEY ("isp", "day")
);

CREATE TABLE "IspCounter" (
    "isp" TEXT NOT NULL PRIMARY KEY,
    "dev" TEXT NOT NULL,
    "tx" REAL NOT NULL,
    "rx" REAL NOT NULL,
    "at" DATETIME NOT NULL
);

CREATE TABLE "IspCap" (
    "isp" TEXT NOT NULL PRIMARY KEY,
    "capBytes" REAL NOT NULL,
    "warnPct" TEXT NOT NULL DEFAULT '80,90,100',
    "lastResort" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);

CREATE TABLE "IspCapWarning" (
    "isp" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "percent" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("isp", "month", "percent")
);
