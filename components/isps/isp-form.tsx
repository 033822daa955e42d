"use client";
// The ISP form: the ISP's own fields (staged until an apply), its health checks and its monthly
// cap (in effect at once for a running monitor), saved by one submit in one transaction. A warning, not an
// error, when every probe target is on the ISP's own link.
import { EntityForm } from "@/components/ui/entity-form";
import type { FormAction } from "@/components/ui/kept-form";
import { ipv6Fields, ispFields } from "./fields";
import { healthFields } from "./health-fields";
import { capFields } from "./cap-fields";
import { linkOnlyWarning } from "@/lib/health/scope";
import { parseCidr } from "@/lib/net/ipv4";

const SECTIONS = [
  {
    legend: "IPv6",
    description:
      "Optional. Each LAN then carries a /64 of this prefix (Settings). A host placed on this ISP that sends from another ISP's prefix has its source translated to this one when the box is ticked; " +
      "unticked, a host's IPv6 leaves by the ISP its address belongs to. Hosts are matched by their MAC for IPv6. Staged until an apply.",
    fields: ipv6Fields,
  },
  {
    legend: "Health checks",
    // the warning that every probe target is on the ISP's own link belongs to the health checks
    notice: true,
    description:
      "How the monitor tells whether this ISP works. Not staged: a running monitor uses these within a second of saving, without an apply or a restart (the ISP's other fields wait for an apply). " +
      'The defaults probe public anycast addresses (in the lab, its test server); targets on the ISP\'s own link show "link ok", never "up".',
    fields: healthFields,
  },
  {
    legend: "Monthly cap",
    description:
      "For a metered link (LTE, satellite): usage is counted from the kernel's counters; warnings go to the notification channels. Not staged: in effect at the monitor's next sample.",
    fields: capFields,
  },
];

/** The warning for the values as typed (a static ISP's link; a dynamic one's learned link is not known here). */
function scopeNotice(v: Record<string, string>): string | null {
  const targets = (v.targets ?? "").split(/[\s,]+/).filter(Boolean);
  const prefix = Number(v.linkPrefix);
  const dynamic = v.addressMode === "dhcp" || v.addressMode === "ppp";
  const routedBlocks = (v.routedBlocks ?? "").split(/[\s,]+/).filter((b) => parseCidr(b));
  return linkOnlyWarning(
    {
      gatewayAddress: dynamic ? "" : (v.gatewayAddress ?? ""),
      linkAddress: dynamic ? "" : (v.linkAddress ?? ""),
      linkPrefix: dynamic || !Number.isInteger(prefix) ? 0 : prefix,
      routedBlocks,
    },
    { targets },
  );
}

export function IspForm(props: {
  action: FormAction;
  initial: Record<string, string>;
  hidden?: Record<string, string>;
  submitLabel?: string;
  cancelHref?: string;
}) {
  return <EntityForm {...props} fields={ispFields} sections={SECTIONS} notice={scopeNotice} />;
}
