-- CreateTable
CREATE TABLE "StagedTakeover" (
    "id" INTEGER NOT NULL PRIMARY KEY DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "items" TEXT NOT NULL
);
