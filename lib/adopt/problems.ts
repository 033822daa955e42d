// What the old setup gets wrong, in plain words, from what the inference found. Pure.
// Each one is a mistake seen on real hand-made gateways (and measured in shared/docs/kernel.md).
import type { GatewayConfig } from "@/lib/model";
import type { OldSetupProblem } from "./types";

export interface Findings {
  config: GatewayConfig;
  lanNets: string[];
  /** MARK rules in mangle PREROUTING */
  marks: number;
  /** a CONNMARK save/restore exists */
  connmark: boolean;
  /** per-host `ip rule from HOST lookup T` */
  hostRules: number;
  conflicts: string[];
  snatNoIsp: string[];
  deadNat: string[];
  /** ISPs whose old mark does not fit 0xff */
  markNotes: string[];
  isps: { name: string; table: number; dev: string; linkAddress: string; lanRoutes: string[]; hasSourceRule: boolean; nat: "SNAT" | "MASQUERADE" | null }[];
  mainDefault: { dev: string; gateway?: string; isp: string | null } | null;
}

export function oldSetupProblems(f: Findings): OldSetupProblem[] {
  const out: OldSetupProblem[] = [];
  const names = f.isps.map((i) => i.name);
  if (f.marks > 0 && !f.connmark) {
    out.push({
      title: "Marks without CONNMARK",
      detail: `Packets are marked one by one and the mark is never kept with the connection. Connections that come in on ${names.slice(1).join(", ") || "another ISP"} (a port forward, a VPN, SSH to that address) get unmarked replies, which leave through main's default route${f.mainDefault?.isp ? ` (${f.mainDefault.isp})` : ""} with the wrong address, and the ISP drops them. Switchyard marks each connection once and restores the mark for every packet of it, replies included.`,
    });
  }
  for (const i of f.isps) {
    const missing = f.lanNets.filter((n) => !i.lanRoutes.includes(n));
    if (missing.length) {
      out.push({
        title: `No LAN route in ${i.name}'s table`,
        detail: `Table ${i.table} has no route to ${missing.join(", ")}. Whatever is looked up there for a LAN address (the gateway's answers from ${i.linkAddress} to a LAN host, replies sent into the table by a mark) leaves through ${i.name} instead of reaching the LAN. Switchyard puts the LAN routes into every ISP table.`,
      });
    }
    if (!i.hasSourceRule) {
      out.push({
        title: `No rule for ${i.name}'s own address`,
        detail: `Nothing sends traffic from ${i.linkAddress} into table ${i.table}: the gateway answers connections to that address through main's default route, out of the wrong ISP. Switchyard adds "from ${i.linkAddress} lookup ${i.table}".`,
      });
    }
    if (!i.nat) {
      out.push({
        title: `No NAT on ${i.name}`,
        detail: `No SNAT or MASQUERADE rule matches traffic leaving ${i.dev}: LAN hosts sent there leave with their private addresses and get no answer. The proposal uses MASQUERADE.`,
      });
    }
  }
  if (f.mainDefault && f.isps.length > 1) {
    out.push({
      title: `Main's default route goes through ${f.mainDefault.isp ?? f.mainDefault.dev} only`,
      detail: `Everything no rule sends elsewhere (every host that is not listed, the gateway itself) leaves via ${f.mainDefault.gateway ?? "-"} on ${f.mainDefault.dev}, and nothing moves when that ISP fails. Switchyard sends the hosts that are not listed to the default ISP by mark, and its monitor moves them to the next ISP when one goes down; main's default route stays with its owner.`,
    });
  }
  if (f.hostRules > 0) {
    out.push({
      title: "One ip rule per host",
      detail: `${f.hostRules} host${f.hostRules === 1 ? " is" : "s are"} steered by its own "ip rule from HOST": every packet, in both directions, walks the rule list, which costs up to half the throughput with many hosts. Switchyard marks a connection's first packet instead and keeps a few rules per ISP.`,
    });
  }
  for (const s of f.snatNoIsp)
    out.push({
      title: "A NAT rule that matches no ISP link",
      detail: `${s}: its interface or address belongs to no ISP link the gateway has, so it NATs nothing the ISPs accept.`,
    });
  for (const s of f.deadNat)
    out.push({ title: "A NAT rule that never matches", detail: `${s}: an earlier rule already NATs everything leaving that interface.` });
  for (const c of f.conflicts) out.push({ title: "A host sent two ways", detail: `${c}.` });
  for (const n of f.markNotes)
    out.push({
      title: `${n}'s mark does not fit`,
      detail: `Its old mark uses bits outside 0xff, which Switchyard keeps for other software: the proposal gives ${n} a new mark.`,
    });
  return out;
}
