#!/usr/bin/env bash
# One command on a fresh Debian/Ubuntu machine: system packages, npm dependencies,
# the database (seeded with the classic two-ISP office), the lab gateway in network
# namespaces, a production build, the monitor, and the app on http://localhost:3000.
#   SWITCHYARD_TARGET=host  manage this machine instead of the lab (see README)
#   HOST / PORT             where to listen (default 127.0.0.1:3000)
# On a real router, as a service (systemd units, /opt/switchyard, data in /var/lib/switchyard):
#   sudo bash scripts/setup.sh --install [--root DIR] [--no-start]    install, or upgrade
#   sudo bash scripts/setup.sh --uninstall [--purge]                  remove (data kept without --purge)
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
if [[ "${1:-}" == "--uninstall" ]]; then shift; exec node bin/switchyard.mjs uninstall "$@"; fi
if [[ "${1:-}" == "--install" ]]; then
  shift
  bash scripts/install-system.sh
  bash scripts/prepare.sh
  npx next build
  exec node bin/switchyard.mjs install "$@"
fi
bash scripts/install-system.sh
bash scripts/prepare.sh
if [[ "${SWITCHYARD_TARGET:-lab}" == "lab" ]]; then npx switchyard lab up; fi
npx next build
echo "First run (no admin yet): the server prints a one-time setup token below; /setup asks for it."
# the monitor (ISP health, failover) beside the server; its log: data/monitor.log (0600, as the database)
(umask 077 && touch data/monitor.log)
node bin/switchyard.mjs monitor >>data/monitor.log 2>&1 &
echo "Switchyard: http://${HOST:-127.0.0.1}:${PORT:-3000}"
exec node server.mjs
