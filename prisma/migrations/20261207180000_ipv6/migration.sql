-- IPv6 (docs/ipv6.md): an ISP's prefix, its IPv6 next hop and whether hosts placed on it have other ISPs'
-- prefixes translated; the main LAN's /64s (comma-separated, like lanSubnets). "" = IPv6 off.
ALTER TABLE "Isp" ADD COLUMN "ipv6Prefix" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Isp" ADD COLUMN "ipv6Gateway" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Isp" ADD COLUMN "ipv6Translate" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Settings" ADD COLUMN "lanSubnets6" TEXT NOT NULL DEFAULT '';
