"use server";
import { deleteEntity, saveEntity } from "@/lib/actions/entity";
import { createIsp, deleteIsp, updateIsp } from "@/lib/data/isps";
import { managesLab, toStore } from "@/lib/data/health-settings";
import { checkbox, ispSchema, type FormState, type IspInput } from "@/lib/validation";
import { HEALTH_FIELDS, type HealthFields } from "@/lib/validation/health";
import { ispExtrasSchema, type IspExtras } from "@/lib/validation/isp-extras";
import { ipv6FromForm } from "@/components/isps/fields";

/** The health-check fields of the form, by their schema names; undefined (left as they are) when a post has none of them. */
const healthOf = (values: Record<string, string>) =>
  HEALTH_FIELDS.some((k) => k in values) ? Object.fromEntries(HEALTH_FIELDS.map((k) => [k, values[k]])) : undefined;

/** The cap fields: undefined when the post has none (left as it is), null when the cap is empty (no cap). */
const capOf = (values: Record<string, string>) => {
  if (!("capBytes" in values)) return undefined;
  if (values.capBytes.trim() === "") return null;
  return { capBytes: values.capBytes, warnPct: values.warnPct ?? "", lastResort: checkbox(values.lastResort) };
};

/** The ISP's name and IPv6 as the same form leaves them (an IPv6 probe target needs its IPv6 prefix, translation on). */
const ispIpv6Of = (v: Record<string, string>) => ({
  name: v.name ?? "",
  ipv6: v.ipv6Prefix?.trim() ? { translate: v.ipv6Translate === "on" || v.ipv6Translate === "true" } : null,
});

export async function saveIspAction(_prev: FormState, fd: FormData): Promise<FormState> {
  // the ISP, its health checks and its monthly cap: one submit, one schema each, every error at
  // once, one transaction (health fields equal to the defaults store nothing: the ISP keeps
  // following the defaults)
  const lab = managesLab();
  // (the defaults of the ISP as saved: in the lab, one with IPv6 has its server's IPv6 address too)
  const health = (isp: IspInput, h: HealthFields | undefined) => (h ? toStore(isp, h, lab) : undefined);
  return saveEntity<IspInput, IspExtras>(
    fd,
    ispSchema,
    {
      create: (input, actor, e?: IspExtras) => createIsp(input, actor, health(input, e?.health), e?.cap),
      update: (id, input, actor, e?: IspExtras) => updateIsp(id, input, actor, health(input, e?.health), e?.cap),
    },
    "/isps",
    // an unchecked checkbox sends nothing: that means "disabled"
    (v) => ({ ...ipv6FromForm(v), enabled: checkbox(v.enabled) }),
    // the ISP as the same form leaves it: an IPv6 probe target needs its IPv6 prefix
    { schema: ispExtrasSchema, pick: (v) => ({ health: healthOf(v), cap: capOf(v), isp: ispIpv6Of(v) }) },
  );
}

export async function deleteIspAction(id: number): Promise<{ error?: string }> {
  return deleteEntity(id, deleteIsp, "/isps");
}
