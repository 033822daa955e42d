-- AlterTable
ALTER TABLE "Revision" ADD COLUMN "base" TEXT;
