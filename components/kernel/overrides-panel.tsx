import type { Override } from "@/lib/net/lint";
import { Section } from "./section";

/**
 * Foreign objects that override Switchyard (an ip rule before its own, a mangle rule after its
 * marking, a NAT rule before its chain), with the hosts each one affects; ISPs whose link is
 * down; and a warning when Switchyard's state vanished from the kernel.
 */
export function OverridesPanel({ overrides, downIsps, vanished }: { overrides: Override[]; downIsps: string[]; vanished: string | null }) {
  if (!overrides.length && !downIsps.length && !vanished) return null;
  const hosts = (o: Override) => (o.hosts.includes("*") ? "every LAN host" : o.hosts.join(", "));
  return (
    <Section
      title="Overrides and warnings"
      description="What on this gateway works against Switchyard. Switchyard never touches foreign objects: change them yourself."
    >
      <ul className="space-y-2 text-sm">
        {vanished && (
          <li role="alert" className="rounded border border-red-300 p-2 text-red-800 dark:border-red-800 dark:text-red-300">
            {vanished}
          </li>
        )}
        {downIsps.map((name) => (
          <li key={name} className="rounded border border-amber-300 p-2 text-amber-900 dark:border-amber-800 dark:text-amber-300">
            {name} is down (link down): its hosts have no path; their traffic is refused, not leaked.
          </li>
        ))}
        {overrides.map((o) => (
          <li
            key={o.object}
            className={`rounded border p-2 ${o.neutralised ? "border-slate-300 dark:border-slate-700" : "border-red-300 text-red-800 dark:border-red-800 dark:text-red-300"}`}
          >
            <span className="font-mono break-all">{o.object}</span>
            <span className="block">
              {o.neutralised ? "Neutralised: " : "Overrides Switchyard: "}
              {o.effect}. Affects {hosts(o)}.
            </span>
          </li>
        ))}
      </ul>
    </Section>
  );
}
