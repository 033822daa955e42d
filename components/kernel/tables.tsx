// The kernel's policy rules, routes, iptables chains and per-host flows, Switchyard's own
// told apart from everything else on the machine ("foreign": muted, never touched).
import { Badge, Table, td } from "@/components/ui/page";
import type { LiveSnapshot } from "@/lib/engine/live-types";
import type { IptChain, Route, Rule } from "@/lib/net/types";
// the pure module (no exec): this is a client component
import { isNftChain } from "@/lib/net/firewall/chains";
import {
  chainKey,
  formatBytes,
  protocolLabel,
  formatCount,
  formatPacketRate,
  routeVia,
  ruleAction,
  ruleCounters,
  ruleSelector,
  tableLabel,
  tableOrder,
} from "./format";
import { OwnerBadge, rowTone, Section } from "./section";

type Tables = ReadonlyMap<number, string>;

/** Does Switchyard route IPv6 here (owned `ip -6` rules)? The IPv6 sections are shown then. */
export const routesIpv6 = (snapshot: LiveSnapshot) => snapshot.owned.rules.some((r) => r.family === 6);

export function RulesSection({ snapshot, ispTables, family = 4 }: { snapshot: LiveSnapshot; ispTables: Tables; family?: 4 | 6 }) {
  // the two families are separate rule lists in the kernel (`ip rule`, `ip -6 rule`)
  const foreign = family === 6 ? (snapshot.foreign.v6?.rules ?? []) : snapshot.foreign.rules;
  const rows: { rule: Rule; owned: boolean }[] = [
    ...snapshot.owned.rules.filter((r) => (r.family === 6 ? 6 : 4) === family).map((rule) => ({ rule, owned: true })),
    ...foreign.map((rule) => ({ rule, owned: false })),
  ].sort((a, b) => a.rule.priority - b.rule.priority);
  return (
    <Section
      anchor={family === 6 ? "rules6" : "rules"}
      collapsible
      title={family === 6 ? "IPv6 policy rules" : "Policy rules"}
      description={
        <>
          Every <code className="font-mono">{family === 6 ? "ip -6 rule" : "ip rule"}</code>, in the order the kernel tries them. Switchyard owns priorities
          10000–10999.
        </>
      }
    >
      <Table head={["Priority", "Owner", "Selector", "Action"]}>
        {rows.map(({ rule, owned }, i) => (
          <tr key={`${rule.priority}-${i}`} className={rowTone(owned)}>
            <td className={`${td} font-mono tabular-nums`}>{rule.priority}</td>
            <td className={td}>
              <OwnerBadge owned={owned} />
            </td>
            <td className={`${td} font-mono whitespace-nowrap`}>{ruleSelector(rule)}</td>
            <td className={`${td} font-mono whitespace-nowrap`}>{ruleAction(rule, ispTables)}</td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

export function RoutesSection({ snapshot, ispTables, family = 4 }: { snapshot: LiveSnapshot; ispTables: Tables; family?: 4 | 6 }) {
  const owned = snapshot.owned.routes.filter((r) => (r.family === 6 ? 6 : 4) === family);
  // IPv6: main and the tables Switchyard fills (the kernel's local table holds every address and multicast route)
  const shown6 = new Set([254, ...owned.map((r) => r.table)]);
  const foreign = family === 6 ? (snapshot.foreign.v6?.routes ?? []).filter((r) => shown6.has(r.table)) : snapshot.foreign.routes;
  const all: { route: Route; owned: boolean }[] = [...owned.map((route) => ({ route, owned: true })), ...foreign.map((route) => ({ route, owned: false }))];
  const tables = [...new Set(all.map((r) => r.route.table))].sort(tableOrder);
  return (
    <Section
      anchor={family === 6 ? "routes6" : "routes"}
      collapsible
      title={family === 6 ? "IPv6 routes" : "Routes"}
      description={
        family === 6
          ? "IPv6 unicast routes of main and of the ISPs' tables. Switchyard's carry proto 201."
          : "IPv4 unicast routes of every routing table. Switchyard's carry proto 201."
      }
    >
      <div className="space-y-4">
        {tables.map((t) => (
          <RouteTable key={t} title={`${family === 6 ? "IPv6 table" : "Table"} ${tableLabel(t, ispTables)}`} routes={all.filter((r) => r.route.table === t)} />
        ))}
        {tables.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">No routes.</p>}
      </div>
    </Section>
  );
}

function RouteTable({ title, routes }: { title: string; routes: { route: Route; owned: boolean }[] }) {
  return (
    <div role="group" aria-label={title}>
      <h3 className="mb-1.5 text-sm font-semibold text-slate-700 dark:text-slate-300">{title}</h3>
      <Table head={["Destination", "Owner", "Via", "Device", "Source", "Scope", "Protocol"]}>
        {routes.map(({ route: r, owned }, i) => (
          <tr key={`${r.dst}-${r.metric ?? 0}-${i}`} className={rowTone(owned)}>
            <td className={`${td} font-mono whitespace-nowrap`}>
              {r.dst}
              {r.metric ? <span className="text-slate-500"> metric {r.metric}</span> : null}
            </td>
            <td className={td}>
              <OwnerBadge owned={owned} />
            </td>
            <td className={`${td} font-mono whitespace-nowrap`}>{routeVia(r)}</td>
            <td className={`${td} font-mono`}>{r.dev}</td>
            <td className={`${td} font-mono`}>{r.src ?? ""}</td>
            <td className={td}>{r.scope ?? "global"}</td>
            <td className={`${td} font-mono whitespace-nowrap`}>{protocolLabel(r.protocol)}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

const ruleKey = (c: IptChain, i: number) => `${chainKey(c)}#${i}:${c.rules[i].spec}`;

/** Packets per second of every rule between two readings (by chain, position and text). */
export function packetRates(snapshot: LiveSnapshot, previous: LiveSnapshot | null): Map<string, number> {
  const rates = new Map<string, number>();
  if (!previous) return rates;
  const dt = (Date.parse(snapshot.observedAt) - Date.parse(previous.observedAt)) / 1000;
  if (!(dt > 0)) return rates;
  const before = new Map<string, number>();
  // a rule without a counter has no rate either (not 0/s)
  for (const c of [...previous.owned.chains, ...previous.foreign.chains, ...previous.builtins])
    c.rules.forEach((r, i) => r.packets !== undefined && before.set(ruleKey(c, i), r.packets));
  for (const c of [...snapshot.owned.chains, ...snapshot.foreign.chains, ...snapshot.builtins]) {
    c.rules.forEach((r, i) => {
      const k = ruleKey(c, i);
      const b = before.get(k);
      if (b !== undefined && r.packets !== undefined && r.packets >= b) rates.set(k, (r.packets - b) / dt);
    });
  }
  return rates;
}

export function ChainTable({
  chain,
  owned,
  rates,
  isHook,
}: {
  chain: IptChain;
  owned: boolean;
  rates: Map<string, number>;
  isHook?: (spec: string) => boolean;
}) {
  const title = `${chain.table} ${chain.name}`;
  return (
    <div role="group" aria-label={title}>
      <h4 className="mb-1.5 flex items-center gap-2 text-sm font-semibold text-slate-700 dark:text-slate-300">
        <span className="font-mono">{chain.name}</span>
        <span className="font-normal text-slate-500 dark:text-slate-400">
          {isNftChain(chain)
            ? chain.base
              ? `type ${chain.base.type} hook ${chain.base.hook} priority ${chain.base.priority}`
              : "inet switchyard"
            : chain.table}
        </span>
      </h4>
      {chain.rules.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No rules.</p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
            <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:bg-slate-800/50 dark:text-slate-400">
              <tr>
                <th scope="col" className="w-10 px-3 py-2 text-left">
                  #
                </th>
                <th scope="col" className="px-3 py-2 text-left">
                  Rule
                </th>
                <th scope="col" className="w-24 px-3 py-2 text-right">
                  Packets
                </th>
                <th scope="col" className="w-24 px-3 py-2 text-right">
                  Bytes
                </th>
                <th scope="col" className="w-24 px-3 py-2 text-right">
                  Packets/s
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {chain.rules.map((r, i) => {
                const hook = isHook?.(r.spec) ?? false;
                const counted = ruleCounters(r);
                return (
                  <tr key={`${i}-${r.spec}`} className={rowTone(owned || hook)}>
                    <td className={`${td} tabular-nums`}>{i + 1}</td>
                    <td className={`${td} font-mono text-xs whitespace-nowrap`}>
                      {r.spec || <span className="text-slate-500">(counts only)</span>} {hook && <Badge tone="indigo">Switchyard hook</Badge>}
                    </td>
                    {counted ? (
                      <>
                        <td className={`${td} text-right tabular-nums`}>{formatCount(counted.packets)}</td>
                        <td className={`${td} text-right tabular-nums whitespace-nowrap`} title={`${formatCount(counted.bytes)} bytes`}>
                          {formatBytes(counted.bytes)}
                        </td>
                        <td className={`${td} text-right tabular-nums`}>{formatPacketRate(rates.get(ruleKey(chain, i)))}</td>
                      </>
                    ) : (
                      <td
                        colSpan={3}
                        className={`${td} text-right text-xs text-slate-500 dark:text-slate-400`}
                        title="This rule has no counter statement: the kernel does not count what it matches (not the same as 0)."
                      >
                        no counter
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The nftables section is there when Switchyard runs on nftables or its table is still loaded (iptables alone: no section, no jump link). */
export const showsNftables = (snapshot: LiveSnapshot) =>
  snapshot.firewall === "nftables" || snapshot.owned.chains.some(isNftChain) || (snapshot.owned.sets ?? []).length > 0;

/** Switchyard's nftables table: base chains with their hooks, the other chains, and the sets and maps with their per-element counters. */
export function NftSection({ snapshot, previous }: { snapshot: LiveSnapshot; previous: LiveSnapshot | null }) {
  const rates = packetRates(snapshot, previous);
  const chains = snapshot.owned.chains.filter(isNftChain);
  const sets = snapshot.owned.sets ?? [];
  const others = snapshot.foreign.nftTables ?? [];
  if (!showsNftables(snapshot)) return null;
  const base = chains.filter((c) => c.base).sort((a, b) => a.base!.priority - b.base!.priority);
  return (
    <Section
      anchor="nftables"
      collapsible
      defaultOpen={false}
      title="nftables"
      description={
        <>
          Switchyard&apos;s own table <code className="font-mono">inet switchyard</code>, applied as one transaction; counters since each rule was loaded. Hosts
          are one map lookup per new connection.
        </>
      }
    >
      <div className="space-y-6">
        {chains.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">Not loaded.</p>}
        {base.length > 0 && (
          <div className="space-y-4">
            <h3 className="flex items-center gap-2 font-semibold">
              Base chains (the hooks) <OwnerBadge owned />
            </h3>
            {base.map((c) => (
              <ChainTable key={chainKey(c)} chain={c} owned rates={rates} />
            ))}
          </div>
        )}
        {sets.length > 0 && (
          <div className="space-y-4">
            <h3 className="flex items-center gap-2 font-semibold">
              Maps <OwnerBadge owned />
            </h3>
            {sets.map((set) => (
              <div key={set.name} role="group" aria-label={`nft ${set.map ? "map" : "set"} ${set.name}`}>
                <h4 className="mb-1.5 flex items-center gap-2 text-sm font-semibold text-slate-700 dark:text-slate-300">
                  <span className="font-mono">{set.name}</span>
                  <span className="font-normal text-slate-500 dark:text-slate-400">
                    {set.type}
                    {set.map ? ` : ${set.map}` : ""}, {set.elements.length} element{set.elements.length === 1 ? "" : "s"}
                  </span>
                </h4>
                <Table head={set.counter ? ["Key", "Verdict", "Packets", "Bytes"] : ["Key", "Verdict"]}>
                  {set.elements.map((e) => (
                    <tr key={e.key} className={rowTone(true)}>
                      <td className={`${td} font-mono`}>{e.key}</td>
                      <td className={`${td} font-mono`}>{e.value ?? ""}</td>
                      {set.counter && <td className={`${td} text-right tabular-nums`}>{formatCount(e.packets ?? 0)}</td>}
                      {set.counter && <td className={`${td} text-right tabular-nums`}>{formatBytes(e.bytes ?? 0)}</td>}
                    </tr>
                  ))}
                </Table>
              </div>
            ))}
          </div>
        )}
        {chains.some((c) => !c.base) && (
          <div className="space-y-4">
            <h3 className="flex items-center gap-2 font-semibold">
              Chains <OwnerBadge owned />
            </h3>
            {chains
              .filter((c) => !c.base)
              .map((c) => (
                <ChainTable key={chainKey(c)} chain={c} owned rates={rates} />
              ))}
          </div>
        )}
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Other tables (left alone):{" "}
          {others.length
            ? others.map((t) => (
                <code key={t} className="mr-2 font-mono">
                  {t}
                </code>
              ))
            : "none"}
        </p>
      </div>
    </Section>
  );
}

export function ChainsSection({ snapshot, previous }: { snapshot: LiveSnapshot; previous: LiveSnapshot | null }) {
  const rates = packetRates(snapshot, previous);
  const owned = snapshot.owned.chains.filter((c) => !isNftChain(c));
  const hook = (spec: string) => /^-j SWYD-\S+$/.test(spec);
  const builtins = snapshot.builtins.filter((c) => c.rules.length > 0);
  const quiet = snapshot.builtins.length - builtins.length;
  return (
    <Section
      anchor="iptables"
      collapsible
      defaultOpen={false}
      title="iptables"
      description="Rules with their counters since each chain was loaded. Switchyard's chains start with SWYD-; it enters them through one hook rule in a built-in chain."
    >
      <div className="space-y-6">
        <div className="space-y-4">
          <h3 className="flex items-center gap-2 font-semibold">
            Switchyard&apos;s chains <OwnerBadge owned />
          </h3>
          {owned.length === 0 && (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {snapshot.firewall === "nftables" ? "None: Switchyard runs on nftables here (see its table above)." : "None loaded."}
            </p>
          )}
          {owned.map((c) => (
            <ChainTable key={chainKey(c)} chain={c} owned rates={rates} />
          ))}
        </div>
        <div className="space-y-4">
          <h3 className="font-semibold">Built-in chains with rules</h3>
          {builtins.map((c) => (
            <ChainTable key={chainKey(c)} chain={c} owned={false} rates={rates} isHook={hook} />
          ))}
          {builtins.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">No rules in built-in chains.</p>}
          {quiet > 0 && <p className="text-xs text-slate-500 dark:text-slate-400">{quiet} more built-in chains have no rules.</p>}
        </div>
        <div className="space-y-4">
          <h3 className="flex items-center gap-2 font-semibold">
            Other chains <OwnerBadge owned={false} />
          </h3>
          {snapshot.foreign.chains.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">None.</p>}
          {snapshot.foreign.chains.map((c) => (
            <ChainTable key={chainKey(c)} chain={c} owned={false} rates={rates} />
          ))}
        </div>
      </div>
    </Section>
  );
}

export function HostsSection({ snapshot }: { snapshot: LiveSnapshot }) {
  if (snapshot.hosts.length === 0) return null;
  return (
    <Section
      anchor="flows"
      collapsible
      title="Open flows by host"
      description="Connections the kernel tracks for each LAN address, by the ISP their mark sends them through."
    >
      <Table head={["Host", "Open flows"]}>
        {snapshot.hosts.map((h) => {
          const entries = Object.entries(h.flowsByIsp);
          return (
            <tr key={h.address}>
              <td className={td}>
                {h.name ? <span className="font-medium">{h.name}</span> : <span className="text-slate-500 dark:text-slate-400">not in the config</span>}{" "}
                <span className="font-mono text-slate-600 dark:text-slate-400">{h.address}</span>
              </td>
              <td className={td}>
                {entries.length === 0 ? (
                  <span className="text-slate-500 dark:text-slate-400">none</span>
                ) : (
                  <span className="flex flex-wrap gap-1">
                    {entries.map(([isp, n]) => (
                      <Badge key={isp} tone={isp === "unmarked" ? "amber" : "slate"}>
                        {isp}: {n}
                      </Badge>
                    ))}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </Table>
    </Section>
  );
}
