// The lab plugged into the engine's apply (lib/engine/target-hooks.ts): imported once by the
// entry points that may apply on a lab. The lab follows the config (new hosts get a namespace,
// new ISPs a link) and its test server proves the paths with real traffic.
import { registerLabHooks } from "@/lib/engine/target-hooks";
import { labUp, probeEgress } from "./lab";
import { faultNotes, faultStatus } from "./faults";

registerLabHooks({
  async beforeApply(config, prefix, onStep) {
    onStep?.({ step: "observe", state: "running", detail: "bringing the lab in line with the config" });
    await labUp(config, { prefix });
    // an injected lab fault stays (converge leaves it): say so, not "nothing needed to change"
    const kept = faultNotes(await faultStatus(config, prefix), prefix);
    if (kept.length) onStep?.({ step: "observe", state: "ok", detail: `kept: ${kept.join("; ")}` });
  },
  probe: (prefix) => (address) => probeEgress(prefix, address),
});
