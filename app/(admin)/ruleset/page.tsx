import { Card, PageHeader } from "@/components/ui/page";
import { CopyDownload } from "@/components/ruleset/copy-download";
import { loadConfig } from "@/lib/data/config";
import { render } from "@/lib/net/render";
import { resolveFirewallOn } from "@/lib/net/firewall";
import { resolveTarget } from "@/lib/engine/target";
import { validateConfig } from "@/lib/validation";
import { requireUserPage } from "@/lib/auth/guard";
import { LearnedIpv6, learnedNow, LearnedValues } from "@/components/isps/learned";
import { isPdIsp } from "@/lib/net/dynamic6";
import { hasDynamicIsps } from "@/lib/net/dynamic";
import { isDynamicIsp } from "@/lib/validation/entities";
import { IP6_MARK } from "@/lib/net/firewall/iptables/text";

export const dynamic = "force-dynamic";
export const metadata = { title: "Ruleset" };

export default async function RulesetPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const config = await loadConfig();
  const valid = validateConfig(config);
  // dynamic ISPs: rendered with what the kernel shows now, as an apply would
  const view = valid.ok && hasDynamicIsps(config) ? await learnedNow(config) : null;
  const now = view?.now ?? null;
  // auto: the backend the gateway runs now (or would get), as an apply resolves it
  const out = valid.ok ? render(await resolveFirewallOn(resolveTarget().target, now && !("error" in now) ? now.config : config).catch(() => config)) : null;
  return (
    <>
      <PageHeader
        title="Ruleset"
        description={`The complete iproute2 and ${out?.firewall ?? "firewall"} state Switchyard would apply for the staged configuration, as the commands an admin would type. Firewall backend: ${out?.firewall ?? "-"}.`}
      />
      {!out ? (
        <p role="alert" className="text-sm text-red-600">
          The staged configuration is not valid yet; fix it on the settings pages.
        </p>
      ) : (
        <div className="space-y-6">
          {now && (
            <Card>
              <h2 className="mb-1 font-semibold">Learned values</h2>
              <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
                These ISPs get their address by DHCP or PPP, or their IPv6 prefix by DHCPv6-PD: the script below uses what the gateway shows now, and changes
                with the next lease. A dynamic ISP with nothing learned is left out (its hosts use another ISP); one without a learned prefix runs without IPv6.
              </p>
              <div className="space-y-3">
                {config.isps
                  .filter((i) => isDynamicIsp(i) || isPdIsp(i))
                  .map((isp) => (
                    <div key={isp.name}>
                      <h3 className="text-sm font-medium">
                        {isp.name} ({[isDynamicIsp(isp) && isp.addressMode, isPdIsp(isp) && "DHCPv6-PD"].filter(Boolean).join(", ")} on{" "}
                        <span className="font-mono">{isp.wanInterface}</span>)
                      </h3>
                      {isDynamicIsp(isp) && <LearnedValues isp={isp.name} view={view!} />}
                      {isPdIsp(isp) && <LearnedIpv6 isp={isp.name} view={view!} />}
                    </div>
                  ))}
              </div>
            </Card>
          )}
          <Card>
            <div className="mb-3 flex items-center justify-between gap-3">
              <h2 className="font-semibold">Script</h2>
              <CopyDownload text={out.script} filename="switchyard-ruleset.sh" />
            </div>
            <pre aria-label="Rendered ruleset" className="overflow-x-auto rounded-md bg-slate-950 p-4 font-mono text-xs leading-relaxed text-slate-100">
              {out.script}
            </pre>
          </Card>
          <Card>
            <div className="mb-3 flex items-center justify-between gap-3">
              <h2 className="font-semibold">
                {out.firewall === "nftables"
                  ? "nft -f input (table inet switchyard, one transaction)"
                  : out.firewallInput.includes(IP6_MARK)
                    ? "iptables-restore input, then ip6tables-restore input (exactly what is applied)"
                    : "iptables-restore input (exactly what is applied)"}
              </h2>
              <CopyDownload text={out.firewallInput} filename={out.firewall === "nftables" ? "switchyard.nft" : "switchyard.rules"} />
            </div>
            {out.firewall === "nftables" && (
              <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
                On a gateway without it, an apply loads this table as it is; after that, an apply changes only the chains and map elements that differ, still in
                one transaction.
              </p>
            )}
            <pre aria-label="Firewall input" className="overflow-x-auto rounded-md bg-slate-950 p-4 font-mono text-xs leading-relaxed text-slate-100">
              {out.firewallInput}
            </pre>
          </Card>
        </div>
      )}
    </>
  );
}
