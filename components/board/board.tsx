"use client";
// The assignment board: a column per ISP, per policy, and the default's, a card per host.
// Dropping a card moves the host at once (staged, optimistic, undone on refusal);
// the banner counts what is staged; Apply & verify puts it on the gateway.
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { useRouter } from "next/navigation";
import { useMemo, useOptimistic, useRef, useState, useTransition } from "react";
import { assignHostAction } from "@/app/(admin)/hosts/actions";
import { ApplyButton } from "./apply-dialog";
import { useBoardHealth } from "@/components/health/board-health";
import { Column } from "./column";
import { announcements, boardCollisions, cardId, columnId, columnJumps, hostIdOfCard, instructions, placeOfColumn, samePlace } from "./dnd";
import { CardBody, HostCard, type CardInfo } from "./host-card";
import { ipv6Line } from "@/lib/board/ipv6-line";
import { useBoardLive } from "./live";
import { policyCard } from "./route";
import { StagedBanner } from "./staged-banner";
import { Toasts, useToasts } from "./toast";
import type { BoardData, BoardHost, Place } from "./types";
import { overrideAffects } from "@/lib/net/override-match";

const matches = (h: BoardHost, q: string) => !q || h.name.toLowerCase().includes(q) || h.address.includes(q);

export function Board({ data, lab = false }: { data: BoardData; lab?: boolean }) {
  const router = useRouter();
  const { toasts, show, dismiss } = useToasts();
  const [query, setQuery] = useState(data.paging?.q ?? "");
  const [pendingIds, setPendingIds] = useState<number[]>([]);
  const [, startTransition] = useTransition();
  const [hosts, moveOptimistic] = useOptimistic(data.hosts, (list: BoardHost[], m: { id: number; to: Place }) =>
    list.map((h) => (h.id === m.id ? { ...h, isp: m.to && "isp" in m.to ? m.to.isp : null, policy: m.to && "policy" in m.to ? m.to.policy : null } : h)),
  );
  const live = useBoardLive();
  const health = useBoardHealth(lab);
  const [active, setActive] = useState<BoardHost | null>(null);

  const ispNames = new Set(data.isps.map((i) => i.name));
  const policyNames = new Set(data.policies.map((p) => p.name));
  const enabled = new Set(data.isps.filter((i) => i.enabled).map((i) => i.name));
  // a host of an ISP or policy that no longer exists would vanish from the board: show it with the default's
  const columnOfHost = (h: BoardHost): Place =>
    h.policy && policyNames.has(h.policy) ? { policy: h.policy } : h.isp && ispNames.has(h.isp) ? { isp: h.isp } : null;
  const defaultName = data.defaultPolicy ?? data.defaultIsp;
  const spokenColumn = (p: Place) =>
    p === null
      ? data.defaultPolicy
        ? `the default policy (${data.defaultPolicy})`
        : `the default ISP${data.defaultIsp ? ` (${data.defaultIsp})` : ""}`
      : "policy" in p
        ? `policy ${p.policy}`
        : p.isp;

  // announcements read the host as it was when picked up, not after the optimistic move
  const hostsRef = useRef(hosts);
  hostsRef.current = hosts;
  const picked = useRef<BoardHost | null>(null);
  const hostOf = (id: UniqueIdentifier) =>
    picked.current && cardId(picked.current.id) === id ? picked.current : hostsRef.current.find((h) => cardId(h.id) === id);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: columnJumps((id) => {
        const h = hostOf(id);
        return h ? columnId(columnOfHost(h)) : undefined;
      }),
    }),
  );
  const accessibility = useMemo(
    () => ({ announcements: announcements(hostOf, columnOfHost, spokenColumn), screenReaderInstructions: instructions }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- columnOfHost and spokenColumn are remade each render from these fields
    [data.defaultIsp, data.defaultPolicy, data.isps, data.policies],
  );

  const move = (host: BoardHost, to: Place) => {
    startTransition(async () => {
      moveOptimistic({ id: host.id, to });
      setPendingIds((p) => [...p, host.id]);
      try {
        const r = await assignHostAction(host.id, to);
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
    const target = placeOfColumn(over.id);
    if (!samePlace(target, columnOfHost(host))) move(host, target);
  };

  const q = query.trim().toLowerCase();
  const shown = hosts.filter((h) => matches(h, q));
  const columns: Place[] = [...data.isps.map((i) => ({ isp: i.name })), ...data.policies.map((p) => ({ policy: p.name })), null];
  const cardFor = (h: BoardHost): CardInfo => {
    const place = columnOfHost(h);
    const col = place && "isp" in place ? place.isp : null;
    const lanDefault = !place && h.lan?.defaultIsp ? h.lan.defaultIsp : null;
    const note =
      col && !enabled.has(col)
        ? `uses ${defaultName ?? "no ISP"} while ${col} is disabled`
        : lanDefault
          ? `on LAN ${h.lan!.name}, whose unlisted hosts use ${lanDefault}`
          : h.policy && !place
            ? `its policy ${h.policy} no longer exists`
            : h.isp && !place
              ? `its ISP ${h.isp} no longer exists`
              : undefined;
    // the ISPs its column may send it to, for the IPv6 line (nothing when no ISP has IPv6)
    const policyIsps = (name: string) => data.policies.find((p) => p.name === name)?.isps ?? [];
    const everyoneElse = data.defaultPolicy ? policyIsps(data.defaultPolicy) : [data.defaultIsp];
    const uses =
      place && "isp" in place
        ? enabled.has(place.isp)
          ? [place.isp]
          : everyoneElse
        : place
          ? policyIsps(place.policy)
          : lanDefault
            ? [lanDefault]
            : everyoneElse;
    const base = {
      host: h,
      ipv6: data.ipv6Isps ? ipv6Line(h.hasMac === true, uses, data.ipv6Isps, data.ipv6Refusing, lanDefault ? [lanDefault] : everyoneElse) : undefined,
      where: spokenColumn(place),
      note,
      flows: live && live.isps.size ? (live.hosts.get(h.address) ?? {}) : undefined,
      pending: pendingIds.includes(h.id),
      provedAt: data.lastApplied?.at,
      pathChange: health.pathChange(h.name, [h.verified?.isp, ...(h.route?.isps.map((i) => i.name) ?? [])]),
    };
    // by a policy (its own or everyone else's): where the policy sends it now
    if (h.route) return { ...base, ...policyCard(h.route, health.moveOf(h.name)) };
    const expectedIsp = col && enabled.has(col) ? col : (lanDefault ?? data.defaultIsp);
    const hc = health.card(h.name, expectedIsp, !(col && enabled.has(col)));
    return { ...base, overriddenBy: live?.overrides?.filter((o) => overrideAffects(o.hosts, h.address)), ...hc, expectedIsp: hc.expectedIsp ?? expectedIsp };
  };
  const title = (p: Place) => {
    if (p === null) return `Default (→ ${defaultName ?? "no ISP"})`;
    if ("isp" in p) return p.isp;
    const pol = data.policies.find((x) => x.name === p.policy)!;
    return (
      <>
        {pol.name}: <span className="font-normal">{pol.words}</span>
      </>
    );
  };
  const defaultNote = data.defaultPolicy ? (
    <p>
      Everyone else (hosts without an ISP or policy of their own) uses the policy <strong>{data.defaultPolicy}</strong>:{" "}
      {data.policies.find((p) => p.name === data.defaultPolicy)?.words}.
    </p>
  ) : data.defaultIsp ? (
    <p>
      Everyone else (hosts without an ISP or policy of their own) leaves through the default ISP, <strong>{data.defaultIsp}</strong>.
    </p>
  ) : (
    <p>No ISP is enabled: these hosts have no way out.</p>
  );
  const everyoneNow = health.defaultMove;

  return (
    <div className="space-y-4">
      <StagedBanner
        data={data}
        onError={(m) => show("error", m)}
        applyButton={
          <ApplyButton
            stagedCount={data.stagedCount}
            onFinished={() => {
              router.refresh();
              live?.refresh();
              health.refresh();
            }}
          />
        }
      />
      <div className="flex flex-wrap items-center gap-3">
        {/* typing narrows the hosts shown at once; Enter searches every host (the board shows one page of a long list) */}
        <form
          role="search"
          method="get"
          action="/"
          className="contents"
          onSubmit={(e) => {
            e.preventDefault();
            router.push(q ? `/?q=${encodeURIComponent(query.trim())}` : "/");
          }}
        >
          <label htmlFor="host-filter" className="sr-only">
            Filter hosts
          </label>
          <input
            id="host-filter"
            name="q"
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder={data.paging ? "Name, address or MAC; Enter searches all" : "Filter by name or address"}
            autoComplete="off"
            spellCheck={false}
            maxLength={100}
            className="w-full max-w-xs rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-slate-700 dark:bg-slate-900"
          />
        </form>
        <span className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {data.paging
            ? q && q !== data.paging.q.toLowerCase()
              ? `${shown.length} of the ${hosts.length} shown match; Enter searches all hosts`
              : data.paging.words
            : q
              ? `${shown.length} of ${hosts.length} hosts match`
              : `${hosts.length} ${hosts.length === 1 ? "host" : "hosts"}`}
        </span>
        <span className="hidden text-xs text-slate-500 pointer-coarse:inline dark:text-slate-400">
          Touch: slide a card sideways to pick it up, then drag it onto an ISP.
        </span>
        {live?.note && <span className="text-xs text-slate-500 dark:text-slate-400">{live.note}</span>}
      </div>
      <DndContext
        sensors={sensors}
        collisionDetection={boardCollisions}
        accessibility={accessibility}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setActive(null)}
      >
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[repeat(auto-fit,minmax(13.5rem,1fr))]">
          {columns.map((place) => {
            const inCol = hosts.filter((h) => samePlace(columnOfHost(h), place));
            const visible = inCol.filter((h) => matches(h, q));
            const isp = place && "isp" in place ? data.isps.find((i) => i.name === place.isp) : undefined;
            const policy = place && "policy" in place ? data.policies.find((p) => p.name === place.policy) : undefined;
            const note =
              place === null ? (
                <>
                  {defaultNote}
                  {everyoneNow && (
                    <p className="mt-1 font-medium text-amber-800 dark:text-amber-300">
                      Now → {everyoneNow.to === "unreachable" ? "unreachable" : everyoneNow.to.split("+").join(" or ")}
                      {everyoneNow.because ? `, ${everyoneNow.because}` : ""}
                    </p>
                  )}
                </>
              ) : undefined;
            return (
              <Column
                key={columnId(place)}
                place={place}
                isp={isp}
                policy={policy}
                title={title(place)}
                hostCount={data.paging ? (data.paging.columnCounts[columnId(place)] ?? 0) : inCol.length}
                defaultNote={note}
                live={isp ? live?.isps.get(isp.name) : undefined}
                health={isp ? health.column(isp.name) : undefined}
                healthDown={isp ? health.isDown(isp.name) : false}
                // the failover words count the hosts in the column: only exact when every host is on the board
                countWords={
                  isp && !data.paging
                    ? health.count(
                        isp.name,
                        inCol.map((h) => h.name),
                      )
                    : undefined
                }
              >
                {visible.map((h) => (
                  <HostCard key={h.id} {...cardFor(h)} />
                ))}
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
