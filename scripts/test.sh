#!/usr/bin/env bash
# Every test, on a fresh machine too (needs root: kernel tests build network namespaces):
# system packages and Debian's Chromium, npm dependencies, the database, then types, lint and
# formatting, the no-shell check, unit tests (parsers, renderer, validation), kernel tests in
# network namespaces on both netfilter backends (iptables, nftables; the lab once more with strict
# rp_filter), a production build, and Playwright in Chromium against each backend.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
bash scripts/install-system.sh --with-browser
bash scripts/prepare.sh
npx tsc --noEmit
npx eslint . --max-warnings 0
npx prettier --check .
# Kernel and browser tests build namespaces with fixed names: one run at a time on a machine
# (the same locks npm run bench:* takes), so two checkouts never tear down each other's labs.
# unit tests, and the kernel tests on the iptables backend (vitest.config.ts makes it the default)
flock /tmp/sy-kernel.lock npx vitest run
# every kernel test again on the nftables backend, but those whose subject no backend touches:
# the monitor's damping and settings reload, the apply lock across processes, recovery's entry
# points (the restore itself is apply-crash's subject, on both), the install into a temporary root
# and a host's MAC read from the neighbour table by the CLI
SWITCHYARD_FIREWALL=nftables flock /tmp/sy-kernel.lock npx vitest run tests/kernel \
  --exclude tests/kernel/health-damping.test.ts --exclude tests/kernel/health-settings.test.ts \
  --exclude tests/kernel/apply-race.test.ts --exclude tests/kernel/recovery-entry.test.ts \
  --exclude tests/kernel/install.test.ts --exclude tests/kernel/neigh-mac.test.ts
# the lab gateway once more with strict reverse-path filtering (rp_filter=1, src_valid_mark=1), as CIS-hardened boxes run
for fw in iptables nftables; do
  SWITCHYARD_FIREWALL=$fw SWITCHYARD_LAB_RP_FILTER=strict flock /tmp/sy-kernel.lock npx vitest run tests/kernel/apply.test.ts tests/kernel/lab.test.ts
done
npx next build
# the browser suite on nftables, then again on iptables for every spec whose outcome depends on
# the backend (specs tagged @any-backend test HTTP, login and forms, which no backend touches)
SWITCHYARD_FIREWALL=nftables flock /tmp/sy-e2e.lock npx playwright test
SWITCHYARD_FIREWALL=iptables flock /tmp/sy-e2e.lock npx playwright test --grep-invert @any-backend
