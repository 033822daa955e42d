-- DHCPv6-PD (docs/dynamic.md): an ISP's IPv6 is "static" (prefix and gateway typed in, as before) or
-- "pd" (learned from the box's DHCPv6 client at each apply; prefix and gateway stored as '').
ALTER TABLE "Isp" ADD COLUMN "ipv6Mode" TEXT NOT NULL DEFAULT 'static';
