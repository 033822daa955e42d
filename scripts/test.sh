#!/usr/bin/env bash
# Every test, on a fresh machine too (needs root: kernel tests build network namespaces):
# system packages and Debian's Chromium, npm dependencies, the database, then types,
# the no-shell check, unit tests (parsers, renderer, validation), kernel tests in
# network namespaces (the lab once more with strict rp_filter), a production build, and Playwright in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
bash scripts/install-system.sh --with-browser
bash scripts/prepare.sh
npx tsc --noEmit
npx vitest run
# the lab gateway once more with strict reverse-path filtering (rp_filter=1, src_valid_mark=1), as CIS-hardened boxes run
SWITCHYARD_LAB_RP_FILTER=strict npx vitest run tests/kernel/apply.test.ts tests/kernel/lab.test.ts
npx next build
npx playwright test
