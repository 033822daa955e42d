-- AlterTable
ALTER TABLE "Revision" ADD COLUMN "comment" TEXT;

-- CreateTable
CREATE TABLE "IspSample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "resolution" INTEGER NOT NULL,
    "isp" TEXT NOT NULL,
    "txRate" REAL,
    "rxRate" REAL,
    "rttMs" REAL,
    "lossPct" REAL,
    "state" TEXT NOT NULL DEFAULT ''
);

-- CreateIndex
CREATE INDEX "IspSample_resolution_at_idx" ON "IspSample"("resolution", "at");

-- CreateIndex
CREATE UNIQUE INDEX "IspSample_resolution_isp_at_key" ON "IspSample"("resolution", "isp", "at");
