#!/usr/bin/env bash
# npm dependencies, the Prisma client and the database (migrations applied; seeded when empty).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then npm ci --no-audit --no-fund; fi
npx prisma generate >/dev/null
npx prisma migrate deploy
npx tsx scripts/seed-if-empty.ts
