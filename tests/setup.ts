// Every test file: the lab plugs into the engine's apply, as at the entry points of the
// product (lib/engine/target-hooks.ts), so a test may apply on a lab target.
import "@/lib/lab/apply-hooks";
