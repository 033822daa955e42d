#!/usr/bin/env bash
# npm dependencies, the Prisma client and the database (migrations applied; seeded when empty;
# data/ 0700 and its files 0600).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then npm ci --no-audit --no-fund; fi
npx prisma generate >/dev/null
# the database (and its directory) are made private to this user: it holds the password hash
mkdir -p -m 700 data
(umask 077 && npx prisma migrate deploy)
(umask 077 && npx tsx scripts/seed-if-empty.ts)
npx tsx scripts/secure-data.ts
