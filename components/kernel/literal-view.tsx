"use client";
// The literal view of the Live page: the kernel's own text, as `iptables -L -v -n -x` (every
// table, with the chains' policy counters), `ip rule show` and `ip route show table X` print
// it. Polled from /api/kernel/literal every 2 s while shown, paused while the tab is hidden.
import { useEffect, useState } from "react";
import type { LiteralSnapshot, LiteralView } from "@/lib/engine/literal";
import { Section } from "./section";

const EVERY_MS = 2_000;

function useLiteral(): { data: LiteralSnapshot | null; error: string | null } {
  const [data, setData] = useState<LiteralSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (stopped) return;
      if (document.visibilityState === "visible") {
        try {
          const res = await fetch("/api/kernel/literal", { cache: "no-store" });
          if (res.status === 401) {
            setError("Your session has ended: log in again.");
            return;
          }
          const body = (await res.json()) as LiteralSnapshot;
          if (!stopped) {
            setData(body);
            setError(body.error ?? null);
          }
        } catch (e) {
          if (!stopped) setError(e instanceof Error ? e.message : String(e));
        }
      }
      if (!stopped) timer = setTimeout(poll, EVERY_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return { data, error };
}

function Literal({ view }: { view: LiteralView }) {
  return (
    <figure role="group" aria-label={view.command} className="min-w-0">
      <figcaption className="mb-1 font-mono text-xs font-semibold text-slate-700 dark:text-slate-300"># {view.command}</figcaption>
      <pre className="max-h-[32rem] overflow-auto rounded-lg border border-slate-200 bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-100 dark:border-slate-800">
        {view.text || "(empty)"}
      </pre>
    </figure>
  );
}

/** A collapsible section of one or more listings. */
function Listings({ anchor, title, description, views }: { anchor: string; title: string; description?: string; views: LiteralView[] }) {
  return (
    <Section anchor={anchor} title={title} collapsible {...(description ? { description } : {})}>
      <div className="space-y-4">
        {views.map((v) => (
          <Literal key={v.command} view={v} />
        ))}
      </div>
    </Section>
  );
}

export function LiteralKernel() {
  const { data, error } = useLiteral();
  return (
    <div className="space-y-8">
      {error && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
        >
          {error}
        </p>
      )}
      {!data && !error && <p className="text-sm text-slate-600 dark:text-slate-400">reading the gateway…</p>}
      {data && (
        <>
          {data.nft && (
            <Listings
              anchor="literal-nft"
              title="nft list table inet switchyard"
              description="Switchyard's nftables table as nft lists it (with counters), and every table on the gateway: iptables-nft's own appear as ip filter, ip nat, ip mangle."
              views={data.nft}
            />
          )}
          <Listings
            anchor="literal-iptables"
            title="iptables -L -v -n"
            description="Every table as iptables lists it: packet and byte counters per rule, and each built-in chain's policy with its counters (-x: exact numbers)."
            views={data.iptables}
          />
          {data.ip6tables && (
            <Listings
              anchor="literal-ip6tables"
              title="ip6tables -L -v -n"
              description="The IPv6 half of the iptables backend: the same tables as ip6tables lists them."
              views={data.ip6tables}
            />
          )}
          <Listings anchor="literal-rules" title="ip rule" views={[data.rules]} />
          <Listings anchor="literal-routes" title="ip route show table" description="One listing per routing table that holds routes." views={data.routes} />
          {data.rules6 && <Listings anchor="literal-rules6" title="ip -6 rule" views={[data.rules6]} />}
          {data.routes6 && (
            <Listings
              anchor="literal-routes6"
              title="ip -6 route show table"
              description="One listing per IPv6 routing table that holds routes."
              views={data.routes6}
            />
          )}
        </>
      )}
    </div>
  );
}
