-- docs/ipv6.md: for an ISP without IPv6, what becomes of its hosts' IPv6: "follow" (their source prefix's ISP) or "unreachable".
ALTER TABLE "Isp" ADD COLUMN "ipv6Hosts" TEXT NOT NULL DEFAULT 'follow';
