-- CreateTable
CREATE TABLE "Isp" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "wanInterface" TEXT NOT NULL,
    "gatewayAddress" TEXT NOT NULL,
    "linkAddress" TEXT NOT NULL,
    "linkPrefix" INTEGER NOT NULL,
    "routingTable" INTEGER NOT NULL,
    "mark" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "natMode" TEXT NOT NULL DEFAULT 'SNAT',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "NatAddress" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "address" TEXT NOT NULL,
    "ispId" INTEGER NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "hostId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "NatAddress_ispId_fkey" FOREIGN KEY ("ispId") REFERENCES "Isp" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NatAddress_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Host" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "mac" TEXT,
    "ispId" INTEGER,
    "notes" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Host_ispId_fkey" FOREIGN KEY ("ispId") REFERENCES "Isp" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Settings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "lanInterface" TEXT NOT NULL,
    "lanSubnets" TEXT NOT NULL,
    "defaultIspId" INTEGER,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Settings_defaultIspId_fkey" FOREIGN KEY ("defaultIspId") REFERENCES "Isp" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Revision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "ruleset" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "error" TEXT,
    "verification" TEXT,
    "durationMs" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "passwordChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "clientIp" TEXT NOT NULL DEFAULT '',
    "userAgent" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LoginAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "username" TEXT NOT NULL,
    "clientIp" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "clientIp" TEXT NOT NULL DEFAULT '',
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "before" TEXT,
    "after" TEXT,
    "result" TEXT NOT NULL DEFAULT 'ok'
);

-- CreateIndex
CREATE UNIQUE INDEX "Isp_name_key" ON "Isp"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Isp_routingTable_key" ON "Isp"("routingTable");

-- CreateIndex
CREATE UNIQUE INDEX "Isp_mark_key" ON "Isp"("mark");

-- CreateIndex
CREATE UNIQUE INDEX "NatAddress_address_key" ON "NatAddress"("address");

-- CreateIndex
CREATE UNIQUE INDEX "NatAddress_hostId_key" ON "NatAddress"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Host_address_key" ON "Host"("address");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
