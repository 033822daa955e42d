import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/page";
import { DeleteButton } from "@/components/ui/delete-button";
import { ispValues } from "@/components/isps/fields";
import { IspForm } from "@/components/isps/isp-form";
import { healthValues } from "@/components/isps/health-fields";
import { capValues } from "@/components/isps/cap-fields";
import { IspUsageCard } from "@/components/usage/isp-usage";
import { loadCaps } from "@/lib/usage/caps";
import { usageOf } from "@/lib/usage/view";
import { effectiveHealthSettings, managesLab } from "@/lib/data/health-settings";
import { linkOnlyWarning } from "@/lib/health/scope";
import { LearnedIpv6, learnedNow, LearnedValues } from "@/components/isps/learned";
import { isPdIsp } from "@/lib/net/dynamic6";
import { isDynamicIsp } from "@/lib/validation/entities";
import { loadConfigWithIds } from "@/lib/data/config";
import { idFrom } from "@/lib/validation/form";
import { deleteIspAction, saveIspAction } from "../actions";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function EditIspPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const id = idFrom((await params).id);
  const { config, ids } = await loadConfigWithIds();
  const index = id ? ids.isps.indexOf(id) : -1;
  if (index < 0) notFound();
  const isp = config.isps[index];
  const hosts = config.hosts.filter((h) => h.isp === isp.name).length;
  const nat = config.natAddresses.filter((n) => n.isp === isp.name).length;
  const view = isDynamicIsp(isp) || isPdIsp(isp) ? await learnedNow(config) : null;
  const now = view?.now ?? null;
  const [[health], { caps }, [usage]] = await Promise.all([
    effectiveHealthSettings({ isps: [isp] }, managesLab()),
    loadCaps(),
    usageOf([isp.name], { days: true, among: config.isps.map((i) => i.name) }),
  ]);
  // a dynamic ISP's link is known only as learned now: the form cannot judge its targets by itself
  const learnedIsp = now && !("error" in now) && now.learned[isp.name] ? now.config.isps.find((i) => i.name === isp.name) : undefined;
  const learnedWarning = learnedIsp ? linkOnlyWarning(learnedIsp, health.settings) : null;
  return (
    <>
      <PageHeader
        title={`ISP ${isp.name}`}
        description="Changes are staged: the gateway changes when you apply. Its health checks are not: a running monitor uses them as soon as they are saved."
      />
      {now && (
        <Card className="mb-6">
          <h2 className="mb-2 font-semibold">
            Learned now ({[isDynamicIsp(isp) && (isp.addressMode === "ppp" ? "PPP" : "DHCP"), isPdIsp(isp) && "DHCPv6-PD"].filter(Boolean).join(", ")} on{" "}
            {isp.wanInterface})
          </h2>
          {isDynamicIsp(isp) && <LearnedValues isp={isp.name} view={view!} />}
          {isPdIsp(isp) && <LearnedIpv6 isp={isp.name} view={view!} />}
        </Card>
      )}
      <IspUsageCard usage={usage} />
      <Card>
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-300" data-testid="health-source">
          Health checks: {health.stored ? "its own settings" : "the defaults (nothing stored; saving the defaults stores nothing)"}
          {health.invalid ? `. The stored settings are not valid (${health.invalid}): saving this form replaces them` : ""}
        </p>
        {learnedWarning && (
          <p
            role="status"
            className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
          >
            On the link learned now: {learnedWarning}
          </p>
        )}
        <IspForm
          action={saveIspAction}
          initial={{ ...ispValues(isp), ...healthValues(health.settings), ...capValues(caps.get(isp.name) ?? null) }}
          hidden={{ id: String(id) }}
          cancelHref="/isps"
        />
      </Card>
      <div className="mt-6">
        <DeleteButton
          label={isp.name}
          consequence={`Its ${nat} NAT address(es)${health.stored ? " and its health-check settings" : ""} are deleted and its ${hosts} host(s) move to the default ISP.`}
          action={deleteIspAction.bind(null, id!)}
        />
      </div>
    </>
  );
}
