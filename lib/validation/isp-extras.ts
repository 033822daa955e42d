// What the ISP form saves beside the ISP itself: its health checks (lib/validation/health.ts) and
// its monthly cap (lib/validation/usage.ts), each through its own schema, every problem at the
// form's field of the same name (targets, capBytes, warnPct...).
import { z } from "./zod";
import { checkedHealthFieldsSchema, healthTargetIssues, type HealthFields } from "./health";
import { capFieldsSchema, type CapFields } from "./usage";

export interface IspExtras {
  /** undefined: not in the form (left as they are) */
  health: HealthFields | undefined;
  /** undefined: left as it is; null: no cap */
  cap: CapFields | null | undefined;
}

export const ispExtrasSchema: z.ZodType<IspExtras> = z
  // isp: the name and the IPv6 the same form gives the ISP (its IPv6 probe targets need it, translation on)
  .object({ health: z.unknown(), cap: z.unknown(), isp: z.object({ name: z.string(), ipv6: z.object({ translate: z.boolean() }).nullable() }).optional() })
  .transform((v, ctx) => {
    const h = v.health === undefined ? undefined : checkedHealthFieldsSchema.safeParse(v.health);
    const c = v.cap === undefined || v.cap === null ? undefined : capFieldsSchema.safeParse(v.cap);
    for (const r of [h, c])
      if (r && !r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: i.path as (string | number)[], message: i.message });
    const v6 = h?.success && v.isp ? healthTargetIssues(v.isp, h.data.targets) : [];
    for (const i of v6) ctx.addIssue({ code: "custom", ...i });
    if ((h && !h.success) || (c && !c.success) || v6.length) return z.NEVER;
    return { health: h?.data, cap: v.cap === null ? null : c?.data };
  }) as unknown as z.ZodType<IspExtras>;
