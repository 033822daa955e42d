// GET /api/kernel/literal: the Live page's literal views (iptables -L -v -n per table, ip rule,
// ip route show table X; their IPv6 twins when the configuration routes IPv6), read only while
// that view is shown. 401 without a session.
import { withAuth } from "@/lib/auth/guard";
import { literalSnapshot } from "@/lib/engine/literal";
import { loadConfig } from "@/lib/data/config";
import { hasIpv6 } from "@/lib/net/render/ipv6";

export const dynamic = "force-dynamic";

// IPv6 listings only when the configuration routes IPv6 (else 3-6 processes every 2 s for nothing)
export const GET = withAuth(async () =>
  Response.json(await literalSnapshot(undefined, hasIpv6(await loadConfig())), { headers: { "Cache-Control": "no-store" } }),
);
