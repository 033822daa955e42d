// Which gateway Switchyard manages. Default: the lab (a real gateway in network
// namespaces, built from the config). On a real router: the host itself, or any
// network namespace, including one Switchyard did not build.
//   SWITCHYARD_TARGET = lab | host | netns:<name>      (default: lab)
//   SWITCHYARD_NETNS  = <name>                         (shortcut for netns:<name>)
//   SWITCHYARD_LAB_PREFIX = <prefix>                   (default: sy; the lab's namespaces are <prefix>-gw, ...)
import { HOST, netns, describeTarget, type Target } from "@/lib/net/exec";
import { gatewayNamespace } from "./lab-names";

export interface ManagedTarget {
  target: Target;
  /** set when the target is a Switchyard lab: real traffic can be probed */
  labPrefix?: string;
  label: string;
}

export function labTarget(prefix: string): ManagedTarget {
  return { target: netns(gatewayNamespace(prefix)), labPrefix: prefix, label: `lab (${gatewayNamespace(prefix)})` };
}

export function resolveTarget(opts: { netns?: string; host?: boolean; lab?: string } = {}, env = process.env): ManagedTarget {
  if (opts.host) return { target: HOST, label: "this machine" };
  if (opts.netns) return { target: netns(opts.netns), label: `netns ${opts.netns}` };
  if (opts.lab) return labTarget(opts.lab);
  if (env.SWITCHYARD_NETNS) return { target: netns(env.SWITCHYARD_NETNS), label: `netns ${env.SWITCHYARD_NETNS}` };
  const t = env.SWITCHYARD_TARGET ?? "lab";
  if (t === "host") return { target: HOST, label: "this machine" };
  if (t.startsWith("netns:")) return { target: netns(t.slice(6)), label: `netns ${t.slice(6)}` };
  if (t === "lab") return labTarget(env.SWITCHYARD_LAB_PREFIX ?? "sy");
  throw new Error(`SWITCHYARD_TARGET must be lab, host or netns:<name>, not ${JSON.stringify(t)}`);
}

export { describeTarget };
