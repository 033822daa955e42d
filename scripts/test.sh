#!/usr/bin/env bash
# Every test, on a fresh machine too (needs root: kernel tests build network namespaces):
# system packages and Debian's Chromium, npm dependencies, the database, then types,
# the no-shell check, unit tests (parsers, renderer, validation), kernel tests in
# network namespaces, a production build, and Playwright in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
bash scripts/install-system.sh --with-browser
bash scripts/prepare.sh
npx tsc --noEmit
npx vitest run
npx next build
npx playwright test
