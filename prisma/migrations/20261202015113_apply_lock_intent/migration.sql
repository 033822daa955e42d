-- CreateTable
CREATE TABLE "ApplyLock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "token" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "pidStart" TEXT NOT NULL DEFAULT '',
    "since" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ApplyIntent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pid" INTEGER NOT NULL,
    "pidStart" TEXT NOT NULL DEFAULT '',
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "before" TEXT NOT NULL,
    "step" TEXT NOT NULL DEFAULT 'intent'
);
