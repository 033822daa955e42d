#!/usr/bin/env node
// The `switchyard` command (package.json "bin"): runs bin/cli.ts in this very process through
// tsx's loader hooks, no child process. The repository's tsconfig.json is named explicitly so
// the "@/..." paths resolve whatever the current directory is (npx --prefix, systemd).
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("./cli.ts");
