-- CreateTable
CREATE TABLE "Policy" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "sticky" BOOLEAN NOT NULL DEFAULT false,
    "lastResortIspId" INTEGER,
    "notes" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Policy_lastResortIspId_fkey" FOREIGN KEY ("lastResortIspId") REFERENCES "Isp" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PolicyMember" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "policyId" INTEGER NOT NULL,
    "ispId" INTEGER NOT NULL,
    "tier" INTEGER NOT NULL DEFAULT 1,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "position" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "PolicyMember_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "Policy" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PolicyMember_ispId_fkey" FOREIGN KEY ("ispId") REFERENCES "Isp" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Host" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "mac" TEXT,
    "ispId" INTEGER,
    "policyId" INTEGER,
    "notes" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Host_ispId_fkey" FOREIGN KEY ("ispId") REFERENCES "Isp" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Host_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "Policy" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Host" ("address", "createdAt", "id", "ispId", "mac", "name", "notes", "updatedAt") SELECT "address", "createdAt", "id", "ispId", "mac", "name", "notes", "updatedAt" FROM "Host";
DROP TABLE "Host";
ALTER TABLE "new_Host" RENAME TO "Host";
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");
CREATE UNIQUE INDEX "Host_address_key" ON "Host"("address");
CREATE TABLE "new_Settings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "lanInterface" TEXT NOT NULL,
    "lanSubnets" TEXT NOT NULL,
    "defaultIspId" INTEGER,
    "defaultPolicyId" INTEGER,
    "failback" TEXT NOT NULL DEFAULT 'move',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Settings_defaultIspId_fkey" FOREIGN KEY ("defaultIspId") REFERENCES "Isp" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Settings_defaultPolicyId_fkey" FOREIGN KEY ("defaultPolicyId") REFERENCES "Policy" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Settings" ("defaultIspId", "id", "lanInterface", "lanSubnets", "updatedAt") SELECT "defaultIspId", "id", "lanInterface", "lanSubnets", "updatedAt" FROM "Settings";
DROP TABLE "Settings";
ALTER TABLE "new_Settings" RENAME TO "Settings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Policy_name_key" ON "Policy"("name");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyMember_policyId_ispId_key" ON "PolicyMember"("policyId", "ispId");


