"use client";
// The Live kernel page's body: polls /api/kernel (useLiveKernel) and shows traffic per ISP,
// drift, policy rules, routes, Switchyard's nftables table and the iptables chains as the kernel has them now.
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { useHealth } from "@/components/health/use-health";
import { ispProof } from "@/lib/health/words";
import { useApplying } from "./drift-banner";
import { DriftPanel } from "./drift-panel";
import { OverridesPanel } from "./overrides-panel";
import { ago } from "./format";
import { IspCard } from "./isp-cards";
import { LiteralKernel } from "./literal-view";
import { Section } from "./section";
import { ChainsSection, HostsSection, NftSection, RoutesSection, RulesSection, routesIpv6, showsNftables } from "./tables";
import { useLiveKernel, type LiveError } from "./use-live-kernel";

function useNow(everyMs = 1000) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

function ErrorBanner({ error, target, stale }: { error: LiveError; target?: string; stale: boolean }) {
  const shown = stale ? " The figures below are the last good reading." : "";
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
      {error.kind === "session" ? (
        <p>
          <strong>Your session has ended.</strong>{" "}
          <Link href="/login" className="font-semibold underline">
            Log in again
          </Link>{" "}
          to keep watching the gateway.{shown}
        </p>
      ) : error.kind === "gateway" ? (
        <>
          <p>
            <strong>Switchyard could not read the gateway{target ? ` (${target})` : ""}.</strong>
            {shown} Retrying every few seconds.
          </p>
          <pre className="mt-2 overflow-x-auto rounded bg-white/60 p-2 font-mono text-xs whitespace-pre-wrap dark:bg-black/30">{error.message}</pre>
          <p className="mt-2">
            {/network namespace/i.test(error.message)
              ? "The target's network namespace does not exist. For the lab, Apply & verify on the dashboard builds it again; for a router, check SWITCHYARD_TARGET / SWITCHYARD_NETNS."
              : /permission|not permitted/i.test(error.message)
                ? "Reading the kernel needs root (CAP_NET_ADMIN): run Switchyard as root."
                : "Check that the gateway is up and that Switchyard runs as root on it."}
          </p>
        </>
      ) : (
        <p>
          <strong>The Switchyard server did not answer.</strong> {error.message} Is it still running? Retrying every few seconds.{shown}
        </p>
      )}
    </div>
  );
}

type View = "structured" | "literal";

const JUMPS: Record<View, { href: string; label: string }[]> = {
  structured: [
    { href: "#traffic", label: "Traffic" },
    { href: "#flows", label: "Flows" },
    { href: "#rules", label: "Policy rules" },
    { href: "#routes", label: "Routes" },
    { href: "#nftables", label: "nftables" },
    { href: "#iptables", label: "iptables" },
  ],
  literal: [
    { href: "#traffic", label: "Traffic" },
    { href: "#literal-nft", label: "nft list table" },
    { href: "#literal-iptables", label: "iptables -L -v -n" },
    { href: "#literal-rules", label: "ip rule" },
    { href: "#literal-routes", label: "ip route" },
  ],
};

/** Structured tables or the kernel's own text; the choice is kept in the address (?view=literal). */
function useView(): [View, (v: View) => void] {
  const [view, setView] = useState<View>("structured");
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get("view") === "literal") setView("literal");
  }, []);
  const choose = (v: View) => {
    setView(v);
    const url = new URL(window.location.href);
    if (v === "literal") url.searchParams.set("view", "literal");
    else url.searchParams.delete("view");
    window.history.replaceState(null, "", url);
  };
  return [view, choose];
}

function ViewToggle({ view, onChange }: { view: View; onChange: (v: View) => void }) {
  const option = (v: View, label: string) => (
    <button
      type="button"
      aria-pressed={view === v}
      onClick={() => onChange(v)}
      className={`px-3 py-1.5 text-sm font-medium ${view === v ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-300 dark:hover:bg-slate-800"}`}
    >
      {label}
    </button>
  );
  return (
    <div role="group" aria-label="View" className="inline-flex overflow-hidden rounded-md ring-1 ring-slate-300 dark:ring-slate-700">
      {option("structured", "Structured")}
      {option("literal", "Literal (nft list, iptables -L, ip rule, ip route)")}
    </div>
  );
}

export function LiveKernel({ stagedDiffers = false, longTerm }: { stagedDiffers?: boolean; longTerm?: React.ReactNode }) {
  const { snapshot, previous, rates, history, error, updatedAt, refresh } = useLiveKernel();
  const [view, setView] = useView();
  const now = useNow();
  const health = useHealth().snapshot;
  const applying = useApplying();
  const ispTables = useMemo(
    () => new Map((snapshot?.isps ?? []).filter((i) => i.routingTable !== undefined).map((i) => [i.routingTable!, i.name])),
    [snapshot],
  );

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className={`h-2 w-2 rounded-full ${error ? "bg-red-500" : snapshot ? "animate-pulse bg-emerald-500" : "bg-slate-400"}`} />
          {snapshot && updatedAt !== null ? (
            <span>updated {now === null ? "just now" : ago(now - updatedAt)}</span>
          ) : error ? (
            <span>no reading</span>
          ) : (
            <span>reading the gateway…</span>
          )}
        </span>
        {snapshot && <span>read in {Math.round(snapshot.readMs)} ms</span>}
        {snapshot && <span className="font-mono text-xs">{snapshot.target}</span>}
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <ViewToggle view={view} onChange={setView} />
        <nav aria-label="Jump to" className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
          {JUMPS[view]
            .filter((j) => j.href !== "#nftables" || (snapshot !== null && showsNftables(snapshot)))
            .map((j) => (
              <a key={j.href} href={j.href} className="text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-400">
                {j.label}
              </a>
            ))}
        </nav>
      </div>

      {error && <ErrorBanner error={error} target={snapshot?.target} stale={snapshot !== null} />}

      {snapshot && (
        <>
          <DriftPanel
            applying={applying}
            drift={snapshot.drift}
            lastGoodRevision={snapshot.lastGoodRevision}
            stagedDiffers={stagedDiffers}
            onReapplied={refresh}
          />
          <OverridesPanel overrides={snapshot.overrides ?? []} downIsps={snapshot.downIsps ?? []} vanished={snapshot.vanished ?? null} />

          <Section
            anchor="traffic"
            collapsible
            title="Traffic per ISP"
            description="Forwarded bytes counted by Switchyard's SWYD-ACCT chain: sent = out through the ISP, received = back in. Rates between readings."
          >
            {snapshot.isps.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">No ISPs configured.</p>
            ) : (
              <div className="grid grid-cols-[repeat(auto-fit,minmax(min(100%,17rem),1fr))] gap-4">
                {snapshot.isps.map((isp) => (
                  <IspCard
                    key={isp.name}
                    isp={isp}
                    rate={rates[isp.name]}
                    history={history[isp.name] ?? []}
                    now={now}
                    health={health?.isps.find((h) => h.isp === isp.name)}
                    // eslint-disable-next-line react-hooks/purity -- before useNow's first tick the proof is judged at this moment
                    proof={health ? ispProof(health.canary, isp.name, now ?? Date.now()) : undefined}
                  />
                ))}
              </div>
            )}
            {longTerm}
          </Section>

          {view === "literal" ? (
            <LiteralKernel />
          ) : (
            <>
              <HostsSection snapshot={snapshot} />
              <RulesSection snapshot={snapshot} ispTables={ispTables} />
              <RoutesSection snapshot={snapshot} ispTables={ispTables} />
              {routesIpv6(snapshot) && (
                <>
                  <RulesSection snapshot={snapshot} ispTables={ispTables} family={6} />
                  <RoutesSection snapshot={snapshot} ispTables={ispTables} family={6} />
                </>
              )}
              <NftSection snapshot={snapshot} previous={previous} />
              <ChainsSection snapshot={snapshot} previous={previous} />
            </>
          )}
        </>
      )}
    </div>
  );
}
