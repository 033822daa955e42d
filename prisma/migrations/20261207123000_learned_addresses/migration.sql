-- Dynamic WANs: the address each DHCP/PPP ISP runs with and when it was learned, and the same in each revision
ALTER TABLE "Revision" ADD COLUMN "learned" TEXT;

CREATE TABLE "LearnedAddress" (
    "isp" TEXT NOT NULL PRIMARY KEY,
    "mode" TEXT NOT NULL,
    "wan" TEXT NOT NULL,
    "address" TEXT,
    "prefix" INTEGER,
    "gateway" TEXT,
    "gatewayFrom" TEXT,
    "learnedAt" DATETIME,
    "problem" TEXT,
    "problemKind" TEXT,
    "checkedAt" DATETIME NOT NULL
);
