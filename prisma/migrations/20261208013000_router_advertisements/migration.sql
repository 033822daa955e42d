-- Router advertisements by Switchyard's own radvd (lib/net/ra, docs/ipv6.md): off by default,
-- so existing configurations are unchanged.
ALTER TABLE "Settings" ADD COLUMN "ra" BOOLEAN NOT NULL DEFAULT false;
