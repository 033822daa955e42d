#!/usr/bin/env bash
# Every test: types, unit tests (parsers, renderer, validation), kernel tests in
# network namespaces (needs root), a production build, and Playwright in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
bash scripts/prepare.sh
npx tsc --noEmit
npx vitest run
npx next build
npx playwright test
