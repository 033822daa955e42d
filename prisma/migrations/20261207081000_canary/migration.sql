-- The canary (lib/net/canary): on by default, with the addresses a user reserved for it
ALTER TABLE "Settings" ADD COLUMN "canary" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Settings" ADD COLUMN "canaryAddresses" TEXT NOT NULL DEFAULT '{}';
