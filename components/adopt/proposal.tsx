// The proposal read from the gateway: each item with the exact objects it came from, what
// stays foreign, what the old setup gets wrong, and what "take over" replaces. Server-rendered.
import { Card, Table, td } from "@/components/ui/page";
import type { Adoption } from "@/lib/adopt/types";
import type { Override } from "@/lib/net/lint";

const code = "font-mono text-xs break-all";

export function ProposalTable({ items }: { items: Adoption["items"] }) {
  return (
    <Table head={["Item", "Proposed", "Read from"]}>
      {items.map((i) => (
        <tr key={i.path}>
          <th scope="row" className={`${td} text-left font-medium whitespace-nowrap`}>
            {i.label}
          </th>
          <td className={td}>{i.value}</td>
          <td className={td}>
            <ul aria-label={`Where ${i.label} comes from`} className="space-y-1">
              {i.from.map((f) => (
                <li key={f} className={code}>
                  {f}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      ))}
    </Table>
  );
}

export function OldSetupProblems({ problems }: { problems: Adoption["problems"] }) {
  if (problems.length === 0) return null;
  return (
    <Card>
      <h2 className="mb-2 font-semibold">What the old setup gets wrong</h2>
      <ul className="space-y-2 text-sm">
        {problems.map((p) => (
          <li key={p.title + p.detail}>
            <span className="font-medium">{p.title}.</span> {p.detail}
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function NotUnderstood({ items }: { items: Adoption["notUnderstood"] }) {
  if (items.length === 0) return null;
  return (
    <Card>
      <h2 className="mb-2 font-semibold">Not understood: stays foreign, untouched</h2>
      <ul className="space-y-2 text-sm">
        {items.map((n) => (
          <li key={n.object}>
            <span className={code}>{n.object}</span>
            <br />
            <span className="text-slate-600 dark:text-slate-400">{n.why}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function TakeoverList({ adoption, overrides }: { adoption: Adoption; overrides: Override[] }) {
  return (
    <Card>
      <h2 className="mb-2 font-semibold">Take over</h2>
      <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
        With take over, the next apply puts Switchyard&apos;s rules, routes and chains in first, then removes these {adoption.takeover.length} old objects (the
        plan lists each as &quot;replaced: old -&gt; Switchyard&apos;s&quot;). A failed apply restores them exactly.
      </p>
      <ul aria-label="Old objects take over replaces" className="mb-3 space-y-1">
        {adoption.takeover.map((t) => {
          const text = t.rule
            ? `ip rule priority ${t.rule.priority}${t.rule.src ? ` from ${t.rule.src}` : ""}${t.rule.fwmark !== undefined ? ` fwmark 0x${t.rule.fwmark.toString(16)}` : ""} lookup ${t.rule.table}`
            : t.route
              ? `ip route ${t.route.dst}${t.route.gateway ? ` via ${t.route.gateway}` : ""} dev ${t.route.dev} table ${t.route.table}`
              : `iptables -t ${t.iptables!.table} -A ${t.iptables!.chain} ${t.iptables!.spec}`;
          return (
            <li key={text} className={code}>
              {text}
            </li>
          );
        })}
      </ul>
      {adoption.kept.length > 0 && (
        <>
          <h3 className="mb-1 text-sm font-medium">Kept through the take over</h3>
          <ul aria-label="Old objects take over keeps" className="mb-3 space-y-1 text-sm">
            {adoption.kept.map((k) => (
              <li key={k.iptables?.spec}>
                <span className={code}>
                  iptables -t {k.iptables!.table} -A {k.iptables!.chain} {k.iptables!.spec}
                </span>
                : it {k.keep}.
              </li>
            ))}
          </ul>
        </>
      )}
      <h3 className="mb-1 text-sm font-medium">Without take over</h3>
      {overrides.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The old objects stay; none of them would steer a host once Switchyard&apos;s configuration runs.
        </p>
      ) : (
        <ul aria-label="Hosts the old objects would still steer" className="space-y-1 text-sm">
          {overrides.map((o) => (
            <li key={o.object}>
              <span className={code}>{o.object}</span>: {o.neutralised ? "undone by Switchyard (reported)" : o.effect} — hosts:{" "}
              {o.hosts.includes("*") ? "all LAN" : o.hosts.join(", ")}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
