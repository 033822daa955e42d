// `switchyard --help`: the usage text (docs/cli.md says the same at length).
export const USAGE = `switchyard - policy routing for gateways with more than one ISP

Usage: switchyard <command> [options]

Configuration (the staged config, in the database):
  config export [--file F]     print the staged config as JSON (or write it to F), with the ISPs'
                               stored health settings (healthChecks) and caps (usageCaps)
  config import FILE|-         replace the staged config with FILE (- = stdin), validated first;
                               an invalid file changes nothing
Backups (docs/backup.md):
  backup [list]                the scheduled copies in the data directory's backups/, newest first
  backup now                   write a copy now (the export), keeping the newest N as scheduled
  backup schedule off|daily|weekly [--keep N]
                               copies written by the monitor (default: off, keep 7)
Metrics (GET /metrics, the Prometheus text format; docs/metrics.md):
  metrics-token [list]         the tokens a scraper may use (names, first characters, last use)
  metrics-token create NAME    make a token and print it, once: only its hash is kept
  metrics-token revoke NAME    a scraper with that token is refused from now on
Gateway:
  plan                         the changes an apply would make, and drift
  apply [--no-rollback]        apply the staged config, verify it, roll back if verification fails
  apply --revision N           re-apply revision N (it becomes the staged config again)
  reapply N                    the same as apply --revision N
  apply --last-good            re-apply the last revision that applied cleanly (the staged
                               config if there is none): for boot
  apply --wait-links S         first wait up to S seconds for the WAN links to be up (boot),
                               then apply what can be applied
  verify                       check the gateway against the staged config (and probe, in a lab)
  status                       what Switchyard owns on the gateway, drift, the last revision,
                               health, uptime (24 h, 7 d, 30 d) and traffic per ISP
  canary [show]                the canary's address per target and its last proof
  canary on|off                prove every target by real packets at each apply, or not
  canary set TARGET ADDRESS    reserve a LAN address for a target (default, an ISP, policy:NAME)
  canary unset TARGET          let Switchyard choose that target's address again
  ra [show]                    router advertisements: each LAN's /64s as Switchyard's radvd tells them
                               (a down ISP's deprecated), our radvd and any other RA daemon on the target
  ra on|off                    router advertisements by Switchyard's own radvd, or not (docs/ipv6.md)
  lan [list]                   the LANs: the main one and any beside it (a guest network, a VLAN)
  lan add NAME --interface IF --subnets A/P[,B/P] [--isp ISP | --policy P]
                               add a LAN (its unlisted hosts use that ISP or policy; none: the gateway's default)
  lan set NAME [--interface IF] [--subnets ...] [--isp ISP | --policy P | --gateway-default] [--rename NEW]
  lan add|set NAME --subnets6 A/64[,B/64]|none
                               the LAN's IPv6: the gateway's address on a /64 of each ISP's prefix
                               (lan set lan --subnets6 ...: the main LAN's)
  isp set ISP [--ipv6-mode static|pd] [--ipv6-prefix P|none] [--ipv6-gateway G] [--ipv6-translate on|off]
              [--ipv6-hosts follow|unreachable]
                               an ISP's IPv6 (docs/ipv6.md): its prefix (/48-/64), its next hop on the
                               WAN (often fe80::1), whether hosts placed on it have other ISPs' prefixes
                               translated (default on); --ipv6-prefix none turns its IPv6 off;
                               without IPv6, its hosts' IPv6 follows their address or is refused
  host set HOST --mac learned|MAC|none
                               the host's MAC (its IPv6 is matched by it): learned = the one the
                               gateway's neighbour table shows for its IPv4 address now
  lan remove NAME              remove a LAN (refused while hosts sit in its subnets)
  revisions [--limit N]        the applies so far, newest first
  adopt [--stage [--take-over]]
                               read a hand-made setup and propose a config (each item with the rule
                               or route it came from, what stays foreign, what the old setup gets
                               wrong); --stage makes it the staged config, --take-over also has the
                               next apply replace the old objects it was built from
Lab (a gateway built from the staged config in network namespaces):
  lab up|down|status [--prefix P]
  lab fault ISP upstream-down|link-down|loss PCT|restore [--prefix P]
                               break an ISP of the lab on purpose (restore undoes it)
Health:
  monitor                      probe every ISP, fail hosts over to a backup ISP and back (runs until SIGTERM)
  health show [ISP]            the health-check settings each ISP is probed with (stored, or the
                               defaults), and whether its targets see beyond its router
  health set ISP --FLAG V...   change some settings (the others keep their value); not staged: a
                               running monitor uses them within a second. Flags: --targets A,B
                               (IPv4 or IPv6: --targets 9.9.9.9,2620:fe::fe)
                               --reliability N --interval-ms --timeout-ms --down-after --up-after
                               --loss-degraded-pct --loss-down-pct --loss-recover-pct --loss-window
                               --recover-window --rtt-degraded-ms --rtt-down-ms --min-hold-ms
                               --max-changes --change-window-ms
  health reset ISP             back to the defaults
Notifications (told when an ISP goes down or comes back, a failover, a failed apply, drift...):
  notify [list]                the channels, each with its last delivery and result
  notify show NAME             one channel (its secret only as "set")
  notify add NAME --type webhook|ntfy|email [--events K,K] [--disable] ...
                               webhook: --url U (signed with --secret-stdin: X-Switchyard-Signature)
                               ntfy: --server U --topic T [--priority 1-5] (token: --secret-stdin)
                               email: --smtp-host H [--port N] [--security starttls|tls|none]
                               [--user U] --from A --to A[,B] (password: --secret-stdin)
  notify set NAME [--FLAG V...] [--enable|--disable] [--secret-stdin|--clear-secret] [--rename NEW]
  notify remove NAME           remove a channel (its queued messages too)
  notify test NAME             send a test message now and say what happened
  notify deliveries [NAME]     the recent deliveries: sent, queued (next try) or failed (why)
Usage (docs/usage.md):
  cap show [ISP]               each ISP's monthly cap and its use this month
  cap set ISP [--cap SIZE] [--cap-warn P,P] [--cap-last-resort|--no-cap-last-resort]
                               a monthly cap (50GB, 1.5TB, 500GiB), warnings at these percentages
                               (each sent once a month), and above 100 % the ISP used only as the
                               last resort; not staged: the monitor uses it at its next sample
  cap remove ISP               no cap any more (its totals stay)
Service (a real router; as root, from a built checkout: scripts/setup.sh --install):
  install [--root DIR] [--no-start]
                               install or upgrade under /opt/switchyard, data in /var/lib/switchyard,
                               systemd units; the database is kept and migrated
  uninstall [--purge] [--root DIR] [--no-start]
                               remove the units and the code; --purge also the data and settings
Other:
  help, --help, -h             this text

Target (default: SWITCHYARD_TARGET / SWITCHYARD_NETNS, else the lab "sy"):
  --host                       this machine
  --netns NAME                 the network namespace NAME
  --lab PREFIX                 the lab PREFIX (its gateway is the namespace PREFIX-gw)
Output:
  --json                       machine-readable JSON on stdout (and nothing else there)

Exit codes: 0 ok, 1 the apply or verification failed (or an error), 2 bad usage or invalid input.
Environment: DATABASE_URL (default file:data/switchyard.db), SWITCHYARD_TARGET, SWITCHYARD_NETNS,
SWITCHYARD_LAB_PREFIX, SWITCHYARD_DEBUG=1 (stack traces), SWITCHYARD_LOG_EXEC=1 (every command run).
`;
