"use client";
// The assignment board: a column per ISP plus the default ISP's, a card per host.
// Dropping a card moves the host at once (staged, optimistic, undone on refusal);
// the banner counts what is staged; Apply & verify puts it on the gateway.
import { DndContext, DragOverlay, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent, type DragStartEvent, type UniqueIdentifier } from "@dnd-kit/core";
import { useRouter } from "next/navigation";
import { useMemo, useOptimistic, useRef, useState, useTransition } from "react";
import { assignHostAction } from "@/app/(admin)/hosts/actions";
import { ApplyButton } from "./apply-dialog";
import { useBoardHealth } from "@/components/health/board-health";
import { Column } from "./column";
import { announcements, boardCollisions, cardId, columnId, columnJumps, hostIdOfCard, instructions, ispOfColumn } from "./dnd";
import { CardBody, HostCard } from "./host-card";
import { useBoardLive } from "./live";
import { StagedBanner } from "./staged-banner";
import { Toasts, useToasts } from "./toast";
import type { BoardData, BoardHost } from "./types";

const matches = (h: BoardHost, q: string) => !q || h.name.toLowerCase().includes(q) || h.address.includes(q);

export function Board({ data, lab = false }: { data: BoardData; lab?: boolean }) {
  const router = useRouter();
  const { toasts, show, dismiss } = useToasts();
  const [query, setQuery] = useState("");
  const [pendingIds, setPendingIds] = useState<number[]>([]);
  const [, startTransition] = useTransition();
  const [hosts, moveOptimistic] = useOptimistic(data.hosts, (list: BoardHost[], m: { id: number; isp: string | null }) =>
    list.map((h) => (h.id === m.id ? { ...h, isp: m.isp } : h)),
  );
  const live = useBoardLive();
  const health = useBoardHealth(lab);
  const [active, setActive] = useState<BoardHost | null>(null);

  const ispNames = new Set(data.isps.map((i) => i.name));
  const enabled = new Set(data.isps.filter((i) => i.enabled).map((i) => i.name));
  // a host of an ISP that no longer exists would vanish from the board: show it with the default's
  const columnOfHost = (h: BoardHost) => (h.isp && ispNames.has(h.isp) ? h.isp : null);
  const columnName = (isp: string | null) => (isp ? isp : `Default (→ ${data.defaultIsp ?? "no ISP"})`);
  const spokenColumn = (isp: string | null) => (isp ? isp : `the default ISP${data.defaultIsp ? ` (${data.defaultIsp})` : ""}`);

  // announcements read the host as it was when picked up, not after the optimistic move
  const hostsRef = useRef(hosts);
  hostsRef.current = hosts;
  const picked = useRef<BoardHost | null>(null);
  const hostOf = (id: UniqueIdentifier) =>
    picked.current && cardId(picked.current.id) === id ? picked.current : hostsRef.current.find((h) => cardId(h.id) === id);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnJumps((id) => { const h = hostOf(id); return h ? columnId(columnOfHost(h)) : undefined; }) }),
  );
  const accessibility = useMemo(() => ({ announcements: announcements(hostOf, spokenColumn), screenReaderInstructions: instructions }), [data.defaultIsp]);

  const move = (host: BoardHost, isp: string | null) => {
    startTransition(async () => {
      moveOptimistic({ id: host.id, isp });
      setPendingIds((p) => [...p, host.id]);
      try {
        const r = await assignHostAction(host.id, isp);
        if (r.error) show("error", `${host.name} was not moved: ${r.error}`);
      } catch (e) {
        show("error", `${host.name} was not moved: ${(e as Error).message || "Switchyard did not answer"}. Reload the page and try again.`);
      } finally {
        setPendingIds((p) => p.filter((id) => id !== host.id));
      }
    });
  };

  const onDragStart = ({ active: a }: DragStartEvent) => {
    const h = hostsRef.current.find((x) => cardId(x.id) === a.id) ?? null;
    picked.current = h;
    setActive(h);
  };
  const onDragEnd = ({ active: a, over }: DragEndEvent) => {
    setActive(null);
    const host = hostsRef.current.find((h) => h.id === hostIdOfCard(a.id));
    if (!host || !over) return;
    const target = ispOfColumn(over.id);
    if (target !== columnOfHost(host)) move(host, target);
  };

  const q = query.trim().toLowerCase();
  const shown = hosts.filter((h) => matches(h, q));
  const columns = [...data.isps.map((i) => i.name), null] as (string | null)[];
  const cardFor = (h: BoardHost) => {
    const col = columnOfHost(h);
    const note = col && !enabled.has(col) ? `uses ${data.defaultIsp ?? "no ISP"} while ${col} is disabled` : h.isp && !col ? `its ISP ${h.isp} no longer exists` : undefined;
    const expectedIsp = col && enabled.has(col) ? col : data.defaultIsp;
    const hc = health.card(h.name, expectedIsp, !(col && enabled.has(col)));
    return { host: h, where: spokenColumn(col), note, flows: live && live.isps.size ? live.hosts.get(h.address) ?? {} : undefined, pending: pendingIds.includes(h.id), provedAt: data.lastApplied?.at, overriddenBy: live?.overrides?.filter((o) => o.hosts.includes(h.address) || o.hosts.includes("*")), ...hc, expectedIsp: hc.expectedIsp ?? expectedIsp };
  };

  return (
    <div className="space-y-4">
      <StagedBanner data={data} onError={(m) => show("error", m)} applyButton={<ApplyButton stagedCount={data.stagedChanges.length} onFinished={() => { router.refresh(); live?.refresh(); health.refresh(); }} />} />
      <div className="flex flex-wrap items-center gap-3">
        <label htmlFor="host-filter" className="sr-only">Filter hosts</label>
        <input
          id="host-filter"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Filter by name or address"
          autoComplete="off"
          spellCheck={false}
          className="w-full max-w-xs rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-slate-700 dark:bg-slate-900"
        />
        <span className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {q ? `${shown.length} of ${hosts.length} hosts match` : `${hosts.length} ${hosts.length === 1 ? "host" : "hosts"}`}
        </span>
        <span className="hidden text-xs text-slate-500 pointer-coarse:inline dark:text-slate-400">Touch: slide a card sideways to pick it up, then drag it onto an ISP.</span>
        {live?.note && <span className="text-xs text-slate-500 dark:text-slate-400">{live.note}</span>}
      </div>
      <DndContext sensors={sensors} collisionDetection={boardCollisions} accessibility={accessibility} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setActive(null)}>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[repeat(auto-fit,minmax(13.5rem,1fr))]">
          {columns.map((isp) => {
            const inCol = hosts.filter((h) => columnOfHost(h) === isp);
            const visible = inCol.filter((h) => matches(h, q));
            const info = isp ? data.isps.find((i) => i.name === isp)! : null;
            return (
              <Column key={isp ?? ""} isp={info} title={columnName(isp)} hostCount={inCol.length} defaultIsp={data.defaultIsp} live={isp ? live?.isps.get(isp) : undefined} health={isp ? health.column(isp) : undefined}>
                {visible.map((h) => <HostCard key={h.id} {...cardFor(h)} />)}
                {visible.length === 0 && (
                  <li className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-xs text-slate-500 dark:border-slate-700 dark:text-slate-400">
                    {inCol.length ? "No host here matches the filter" : "Drop a host here"}
                  </li>
                )}
              </Column>
            );
          })}
        </div>
        <DragOverlay dropAnimation={null}>{active ? <CardBody {...cardFor(active)} lifted /> : null}</DragOverlay>
      </DndContext>
      <Toasts toasts={toasts} dismiss={dismiss} />
    </div>
  );
}
