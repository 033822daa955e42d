#!/usr/bin/env bash
# System packages Switchyard needs (Debian/Ubuntu). Idempotent; needs root.
#   iproute2, iptables, nftables, conntrack: the kernel tools the executor runs (nft: the nftables backend)
#   netcat-openbsd: the lab's traffic probes
#   iputils-ping: the monitor's health probes (one streaming ping per ISP)
#   systemd: systemctl for `switchyard install`, systemd-analyze for the unit files' test
#   busybox, udhcpc: the lab's DHCP ISPs (udhcpd in the ISP's namespace, udhcpc on the gateway's WAN)
#   iperf3, ethtool: the dataplane benchmark (npm run bench:dataplane: throughput through the lab gateway, offloads off);
#     non-interactive, Debian's iperf3 leaves its system-wide daemon off (debconf iperf3/start_daemon=false)
#   radvd: router advertisements (lib/net/ra): Switchyard runs its own instance with its own file in the data
#     directory; Debian's radvd.service is left as installed: it only starts when /etc/radvd.conf exists
#     (ConditionPathExists), which Switchyard never writes (an admin's own radvd is reported as foreign)
#   chromium (only with --with-browser): Playwright's browser; Playwright's own download is never used
set -euo pipefail
pkgs=(iproute2 iptables nftables conntrack netcat-openbsd iputils-ping systemd busybox udhcpc iperf3 ethtool radvd)
[[ "${1:-}" == "--with-browser" ]] && pkgs+=(chromium)
# DHCPv6-PD (docs/dynamic.md): dhcpcd-base, the box's DHCPv6 client whose lease Switchyard reads (`dhcpcd -U -6 WAN`);
# isc-dhcp-server (with radvd, above): the PD kernel test's ISP (dhcpd -6 and radvd in a namespace, run in the foreground;
# Debian's isc-dhcp-server.service finds no interfaces configured and stays down)
pkgs+=(dhcpcd-base isc-dhcp-server)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  if [[ $EUID -ne 0 ]]; then echo "Run as root (sudo) to install system packages." >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
