// The systemd units of an installed Switchyard, rendered from the install paths (pure, so the
// unit test can render them and `systemd-analyze verify` them). Three units:
//   switchyard-apply.service    boot: wait (bounded) for the WAN links, then re-apply the last good revision
//   switchyard-monitor.service  ISP health and failover, after the boot apply
//   switchyard.service          the web server (server.mjs)
// Paths are the target system's (/opt/switchyard ...), never the --root staging directory.
// Least privilege as docs/security.md: root with the capability bounding set cut to
// CAP_NET_ADMIN (ip, iptables, conntrack) and CAP_NET_RAW (ping, iptables-legacy), plus
// CAP_SYS_ADMIN where the canary runs (ip netns); a read-only system except the data directory
// and the routing-table names; no new privileges; a system-call filter (lib/install/sandbox.ts).
import { sandbox, type SandboxKind } from "./sandbox";

export interface InstallPaths {
  appDir: string;
  dataDir: string;
  configDir: string;
  unitDir: string;
  /** the node binary the units start */
  node: string;
}

export const DEFAULT_PATHS: InstallPaths = {
  appDir: "/opt/switchyard",
  dataDir: "/var/lib/switchyard",
  configDir: "/etc/switchyard",
  unitDir: "/etc/systemd/system",
  node: "/usr/bin/node",
};

/** How long the boot apply waits for the WAN links before it applies what it can. */
export const DEFAULT_WAIT_LINKS_S = 90;

export const UNIT_NAMES = ["switchyard-apply.service", "switchyard-monitor.service", "switchyard.service"] as const;
export type UnitName = (typeof UNIT_NAMES)[number];

export interface UnitFile {
  name: UnitName;
  text: string;
}

export const envFile = (p: InstallPaths) => `${p.configDir}/switchyard.env`;
export const databaseFileOf = (p: InstallPaths) => `${p.dataDir}/switchyard.db`;
export const logDir = (p: InstallPaths) => `${p.dataDir}/log`;

/** The settings file the units read; written once, then the admin's (upgrades keep it). */
export function envFileText(): string {
  return [
    "# Switchyard's settings, read by its systemd units (kept by upgrades and by uninstall without --purge).",
    "# After a change: systemctl restart switchyard switchyard-monitor",
    "# Where the web UI listens: the LAN address of the router, never a WAN address.",
    "HOST=127.0.0.1",
    "PORT=3000",
    "# Host names the UI may be reached under besides HOST and localhost (DNS-rebinding guard):",
    "#SWITCHYARD_ALLOWED_HOSTS=192.168.1.1,router.lan",
    "# Reverse proxies whose X-Forwarded-For is believed:",
    "#SWITCHYARD_TRUSTED_PROXIES=",
    "",
  ].join("\n");
}

function hardening(p: InstallPaths, kind: SandboxKind): string[] {
  return [
    `WorkingDirectory=${p.appDir}`,
    `Environment=NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 SWITCHYARD_TARGET=host`,
    `Environment=DATABASE_URL=file:${databaseFileOf(p)}`,
    `EnvironmentFile=-${envFile(p)}`,
    ...sandbox(p, kind),
  ];
}

const logTo = (p: InstallPaths, name: string) => [`StandardOutput=append:${logDir(p)}/${name}.log`, "StandardError=inherit"];
const cli = (p: InstallPaths, ...args: string[]) => [p.node, `${p.appDir}/bin/switchyard.mjs`, ...args].join(" ");
const doc = (p: InstallPaths) => `Documentation=file:${p.appDir}/README.md`;
// firewall loaders that restore or flush whole rulesets: the boot apply goes after them
const FIREWALLS = "nftables.service netfilter-persistent.service iptables.service firewalld.service";

export function renderUnits(p: InstallPaths = DEFAULT_PATHS, waitLinksS = DEFAULT_WAIT_LINKS_S): UnitFile[] {
  const unit = (lines: (string | false)[]) => `${lines.filter((l) => l !== false).join("\n")}\n`;
  return [
    {
      name: "switchyard-apply.service",
      text: unit([
        "# Written by the Switchyard installer: overwritten by upgrades.",
        "[Unit]",
        "Description=Switchyard: re-apply the last good multi-ISP ruleset at boot",
        doc(p),
        `After=network-online.target ${FIREWALLS}`,
        "Wants=network-online.target",
        "Before=switchyard-monitor.service",
        "",
        "[Service]",
        "Type=oneshot",
        "RemainAfterExit=yes",
        // the wait is bounded: a link that is not up by then gets its routes from the monitor later
        `ExecStart=${cli(p, "apply", "--last-good", "--host", "--wait-links", String(waitLinksS))}`,
        `TimeoutStartSec=${waitLinksS + 120}`,
        ...logTo(p, "apply"),
        ...hardening(p, "canary"),
        "",
        "[Install]",
        "WantedBy=multi-user.target",
      ]),
    },
    {
      name: "switchyard-monitor.service",
      text: unit([
        "# Written by the Switchyard installer: overwritten by upgrades.",
        "[Unit]",
        "Description=Switchyard: ISP health monitor and failover",
        doc(p),
        "After=network-online.target switchyard-apply.service",
        "Wants=network-online.target",
        "",
        "[Service]",
        "Type=simple",
        `ExecStart=${cli(p, "monitor", "--host")}`,
        "Restart=on-failure",
        "RestartSec=10",
        // 2: the configuration is not valid (or not made yet): a restart cannot fix that
        "RestartPreventExitStatus=2",
        "RuntimeDirectory=switchyard",
        ...logTo(p, "monitor"),
        ...hardening(p, "plain"),
        "",
        "[Install]",
        "WantedBy=multi-user.target",
      ]),
    },
    {
      name: "switchyard.service",
      text: unit([
        "# Written by the Switchyard installer: overwritten by upgrades.",
        "[Unit]",
        "Description=Switchyard: multi-ISP admin web UI",
        doc(p),
        "After=network-online.target",
        "Wants=network-online.target",
        "",
        "[Service]",
        "Type=simple",
        `ExecStart=${p.node} ${p.appDir}/server.mjs`,
        "Restart=on-failure",
        "RestartSec=5",
        ...logTo(p, "server"),
        ...hardening(p, "canary"),
        "",
        "[Install]",
        "WantedBy=multi-user.target",
      ]),
    },
  ];
}
