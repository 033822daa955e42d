-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Settings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "lanInterface" TEXT NOT NULL,
    "lanSubnets" TEXT NOT NULL,
    "defaultIspId" INTEGER,
    "defaultPolicyId" INTEGER,
    "failback" TEXT NOT NULL DEFAULT 'move',
    "firewall" TEXT NOT NULL DEFAULT 'auto',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Settings_defaultIspId_fkey" FOREIGN KEY ("defaultIspId") REFERENCES "Isp" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Settings_defaultPolicyId_fkey" FOREIGN KEY ("defaultPolicyId") REFERENCES "Policy" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Settings" ("defaultIspId", "defaultPolicyId", "failback", "id", "lanInterface", "lanSubnets", "updatedAt") SELECT "defaultIspId", "defaultPolicyId", "failback", "id", "lanInterface", "lanSubnets", "updatedAt" FROM "Settings";
DROP TABLE "Settings";
ALTER TABLE "new_Settings" RENAME TO "Settings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
