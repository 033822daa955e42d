// npx tsx scripts/lab.ts up|down|status [--prefix sy] [--config FILE]
// `up` needs --config (a GatewayConfig JSON, e.g. tests/fixtures/classic-office.json).
import { DEFAULT_PREFIX, labDownCommand, labStatusCommand, labUpCommand, readConfigFile } from "../lib/lab/cli";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const action = process.argv[2];
  const prefix = option("prefix") ?? DEFAULT_PREFIX;
  const file = option("config");
  const config = file ? readConfigFile(file) : undefined;
  if (action === "up") {
    if (!config) throw new Error("lab up needs --config FILE");
    console.log(await labUpCommand(config, prefix));
  } else if (action === "down") {
    console.log(await labDownCommand(prefix));
  } else if (action === "status") {
    console.log(await labStatusCommand(prefix, config));
  } else {
    console.error("usage: tsx scripts/lab.ts up|down|status [--prefix sy] [--config FILE]");
    return 2;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
