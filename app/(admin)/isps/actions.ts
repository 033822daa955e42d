"use server";
import { deleteEntity, saveEntity } from "@/lib/actions/entity";
import { createIsp, deleteIsp, updateIsp } from "@/lib/data/isps";
import { managesLab, toStore } from "@/lib/data/health-settings";
import { checkbox, ispSchema, type FormState, type IspInput } from "@/lib/validation";
import { checkedHealthFieldsSchema, HEALTH_FIELDS, type HealthFields } from "@/lib/validation/health";

/** The health-check fields of the form, by their schema names; undefined (left as they are) when a post has none of them. */
const healthOf = (values: Record<string, string>) => (HEALTH_FIELDS.some((k) => k in values) ? Object.fromEntries(HEALTH_FIELDS.map((k) => [k, values[k]])) : undefined);

export async function saveIspAction(_prev: FormState, fd: FormData): Promise<FormState> {
  // the ISP and its health checks: one submit, one schema each, every error at once, one transaction
  // (health fields equal to the defaults store nothing: the ISP keeps following the defaults)
  const lab = managesLab();
  const health = (name: string, h: HealthFields | undefined) => (h ? toStore(name, h, lab) : undefined);
  return saveEntity<IspInput, HealthFields | undefined>(
    fd, ispSchema,
    {
      create: (input, actor, h?: HealthFields | undefined) => createIsp(input, actor, health(input.name, h)),
      update: (id, input, actor, h?: HealthFields | undefined) => updateIsp(id, input, actor, health(input.name, h)),
    },
    "/isps",
    // an unchecked checkbox sends nothing: that means "disabled"
    (v) => ({ ...v, enabled: checkbox(v.enabled) }),
    { schema: checkedHealthFieldsSchema.optional(), pick: healthOf },
  );
}

export async function deleteIspAction(id: number): Promise<{ error?: string }> {
  return deleteEntity(id, deleteIsp, "/isps");
}
