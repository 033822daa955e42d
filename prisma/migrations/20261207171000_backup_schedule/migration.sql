-- Scheduled copies of the configuration in the data directory's backups/ (lib/backup/scheduled.ts)
CREATE TABLE "BackupSchedule" (
    "id" INTEGER NOT NULL PRIMARY KEY DEFAULT 1,
    "every" TEXT NOT NULL DEFAULT 'off',
    "keep" INTEGER NOT NULL DEFAULT 7,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
