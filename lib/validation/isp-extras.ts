// What the ISP form saves beside the ISP itself: its health checks (lib/validation/health.ts) and
// its monthly cap (lib/validation/usage.ts), each through its own schema, every problem at the
// form's field of the same name (targets, capBytes, warnPct...).
import { z } from "./zod";
import { checkedHealthFieldsSchema, type HealthFields } from "./health";
import { capFieldsSchema, type CapFields } from "./usage";

export interface IspExtras {
  /** undefined: not in the form (left as they are) */
  health: HealthFields | undefined;
  /** undefined: left as it is; null: no cap */
  cap: CapFields | null | undefined;
}

export const ispExtrasSchema: z.ZodType<IspExtras> = z.object({ health: z.unknown(), cap: z.unknown() }).transform((v, ctx) => {
  const h = v.health === undefined ? undefined : checkedHealthFieldsSchema.safeParse(v.health);
  const c = v.cap === undefined || v.cap === null ? undefined : capFieldsSchema.safeParse(v.cap);
  for (const r of [h, c])
    if (r && !r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: i.path as (string | number)[], message: i.message });
  if ((h && !h.success) || (c && !c.success)) return z.NEVER;
  return { health: h?.data, cap: v.cap === null ? null : c?.data };
}) as unknown as z.ZodType<IspExtras>;
