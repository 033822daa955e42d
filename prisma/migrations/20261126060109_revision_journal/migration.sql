-- AlterTable
ALTER TABLE "Revision" ADD COLUMN "journal" TEXT;
