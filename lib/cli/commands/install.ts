// `switchyard install|uninstall`: Switchyard as systemd services (lib/install/install.ts).
import fs from "node:fs";
import type { Command } from "@/lib/cli/args";
import { cli, out, note, emit } from "@/lib/cli/context";

export async function install(cmd: Extract<Command, { name: "install" | "uninstall" }>): Promise<number> {
  const lib = await import("@/lib/install/install");
  const log = (l: string) => note(l);
  const start = cmd.start;
  if (cmd.name === "uninstall") {
    const r = await lib.uninstall({ root: cmd.root, start, purge: cmd.purge, log });
    if (cli.json) emit({ ok: true, ...r });
    else out(`Uninstalled: ${r.removed.length} removed${r.kept.length ? `; kept ${r.kept.join(" ")}` : ""}`);
    return 0;
  }
  const source = fs.realpathSync(new URL("../../..", import.meta.url)); // the checkout: lib/cli/commands/ is three levels down
  const r = await lib.install({ root: cmd.root, source, start, log });
  if (cli.json) emit({ ok: true, ...r });
  else {
    out(`${r.upgrade ? "Upgraded" : "Installed"} Switchyard in ${r.appDir} (database ${r.database}${r.upgrade ? ", kept and migrated" : ""}).`);
    if (!r.upgrade)
      out(
        `First login: open the UI from the router itself (e.g. \`ssh -L 3000:127.0.0.1:3000 router\`, then http://127.0.0.1:3000); /setup asks for the one-time token in ${r.database}.setup-token.`,
      );
  }
  return 0;
}
