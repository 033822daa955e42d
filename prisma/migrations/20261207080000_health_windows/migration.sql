-- Health settings: how many targets must answer, and separate loss thresholds and windows for going worse and recovering
ALTER TABLE "IspHealthSettings" ADD COLUMN "reliability" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "IspHealthSettings" ADD COLUMN "lossRecoverPct" INTEGER NOT NULL DEFAULT 5;
ALTER TABLE "IspHealthSettings" ADD COLUMN "lossWindow" INTEGER NOT NULL DEFAULT 20;
ALTER TABLE "IspHealthSettings" ADD COLUMN "recoverWindow" INTEGER NOT NULL DEFAULT 30;
