-- Notifications: the persistent outbox of events (lib/notify/events.ts)
CREATE TABLE "NotifyEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "handled" BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX "NotifyEvent_handled_id_idx" ON "NotifyEvent"("handled", "id");
