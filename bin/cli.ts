// `switchyard`: the command line. Argument parsing is lib/cli/args.ts (pure); this file is the
// dispatcher: it parses argv, runs the command's module (lib/cli/commands/, each through the same
// code the web UI uses: lib/engine/service.ts, lib/data/config.ts), turns an error into one line
// (and for --json a payload) and exits:
//   0 ok, 1 the apply or verification failed (or another error), 2 bad usage or invalid input.
// What the commands share (output, errors, the database, the staged configuration) is
// lib/cli/context.ts. Modules that open the database are imported lazily: `help`, a usage error
// or `lab down` never touch it. Processes are only ever started by lib/net/exec.ts.
import { parseCli } from "@/lib/cli/args";
import { USAGE } from "@/lib/cli/usage";
import { databaseFile, databaseUrl } from "@/lib/db-url";
import { exitWhenFlushed } from "@/lib/cli/exit";
import { CliError, cli, note, emit, out, table, actor, oneLine, database, readStdin } from "@/lib/cli/context";
import { configExport } from "@/lib/cli/commands/config-export";
import { configImport } from "@/lib/cli/commands/config-import";
import { plan } from "@/lib/cli/commands/plan";
import { apply } from "@/lib/cli/commands/apply";
import { verify } from "@/lib/cli/commands/verify";
import { status } from "@/lib/cli/commands/status";
import { canary } from "@/lib/cli/commands/canary";
import { ra } from "@/lib/cli/commands/ra";
import { lan } from "@/lib/cli/commands/lan";
import { isp } from "@/lib/cli/commands/isp";
import { host } from "@/lib/cli/commands/host";
import { lab } from "@/lib/cli/commands/lab";
import { revisions } from "@/lib/cli/commands/revisions";
import { monitor } from "@/lib/cli/commands/monitor";
import { labFault } from "@/lib/cli/commands/lab-fault";
import { health } from "@/lib/cli/commands/health";
import { cap } from "@/lib/cli/commands/cap";
import { install } from "@/lib/cli/commands/install";
import { adopt } from "@/lib/cli/commands/adopt";

/** One clear line for an unexpected error; Prisma's multi-line messages end with the reason. */
function errorMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && /^P\d{4}$/.test(code)) {
    if (code === "P2021") return `the database ${databaseFile(databaseUrl())} has no Switchyard tables: run \`npx prisma migrate deploy\``;
    const lines = e.message
      .trim()
      .split("\n")
      .filter((l) => l.trim());
    return `database error ${code}: ${lines[lines.length - 1]?.trim() ?? e.message}`;
  }
  return oneLine(e.message);
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCli(argv);
  cli.json = parsed.json;
  if (!parsed.ok) {
    note(`switchyard: ${parsed.error}`);
    note("Run `switchyard help` for the commands and options.");
    if (cli.json) emit({ ok: false, error: parsed.error });
    return 2;
  }
  const { command, target } = parsed;
  try {
    switch (command.name) {
      case "help":
        process.stdout.write(USAGE);
        return 0;
      case "config-export":
        return await configExport(command.file);
      case "config-import":
        return await configImport(command.file);
      case "plan":
        return await plan(target);
      case "apply":
        return await apply(command, target);
      case "verify":
        return await verify(target);
      case "status":
        return await status(target);
      case "canary":
        return await canary(command.change);
      case "ra":
        return await ra(command.change, target);
      case "lan":
        return await lan(command);
      case "isp":
        await database();
        return await isp(command);
      case "host":
        await database();
        return await host(command, target);
      case "lab":
        return await lab(command, target);
      case "revisions":
        return await revisions(command.limit);
      case "monitor":
        return await monitor(target);
      case "lab-fault":
        return await labFault(command, target);
      case "health-show":
      case "health-set":
      case "health-reset":
        return await health(command, target);
      case "cap-show":
      case "cap-set":
      case "cap-remove":
        return await cap(command);
      case "install":
      case "uninstall":
        return await install(command);
      case "adopt":
        return await adopt(command, target);
      case "notify": {
        await database();
        const { runNotify, NotifyCliError } = await import("@/lib/cli/commands/notify");
        return await runNotify(command, { json: cli.json, out, emit, table, actor: actor(), readStdin }).catch((e) => {
          throw e instanceof NotifyCliError ? new CliError(e.message, e.exitCode, e.details) : e;
        });
      }
      case "backup":
        await database();
        return await (await import("@/lib/cli/commands/backup")).backupCommand(command, { json: cli.json, actor: actor(), out });
      case "metrics-token":
        await database();
        return await (await import("@/lib/cli/commands/metrics-token")).metricsTokenCommand(command, { json: cli.json, actor: actor(), out });
      default:
        return command satisfies never;
    }
  } catch (e) {
    const known = e instanceof CliError ? e : null;
    const message = known ? known.message : errorMessage(e);
    note(`switchyard: ${message}`);
    if (process.env.SWITCHYARD_DEBUG === "1" && e instanceof Error && e.stack) note(e.stack);
    if (cli.json) emit({ ok: false, error: message.split("\n")[0].replace(/:$/, ""), ...known?.details });
    return known?.exitCode ?? 1;
  } finally {
    if (cli.dbOpened) {
      const { db } = await import("@/lib/db");
      await db.$disconnect().catch(() => undefined);
    }
  }
}

// `switchyard revisions | head`: a closed pipe ends the output, not with a stack trace
process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 1));
const code = await main(process.argv.slice(2));
// a full pipe queues the rest of the output: exit once it is written (lib/cli/exit.ts)
await exitWhenFlushed(code);
