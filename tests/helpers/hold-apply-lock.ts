// Holds the apply lock as someone else would (an apply in another browser, the CLI) until
// SIGTERM: lets the e2e suite see "Apply in progress by …" for as long as it needs, without
// racing a real apply. Usage: node --import tsx tests/helpers/hold-apply-lock.ts "alice (cli)"
import { acquireApplyLock } from "@/lib/engine/lock";

const lock = await acquireApplyLock(process.argv[2] ?? "test", { waitMs: 10_000 });
console.log("held");
const keep = setInterval(() => undefined, 1000);
process.once("SIGTERM", () => {
  clearInterval(keep);
  void lock.release().then(() => process.exit(0));
});
