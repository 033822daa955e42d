// The sandbox of the installed units (lib/install/units.ts): what systemd takes away from a
// root process that changes routing and netfilter. Each setting that is on says what it costs
// nothing; each one that is off says what it would break. `systemd-analyze security
// --offline=yes` scores the units (docs/install.md has the figures).
//
// What the processes do, and so what they need:
// - ip, iptables(-restore/-save), nft, conntrack: netlink and setsockopt -> CAP_NET_ADMIN,
//   AF_NETLINK; ping and iptables-legacy raw sockets -> CAP_NET_RAW, AF_PACKET.
// - sysctl -w of the owned net.* keys (ip_forward, rp_filter ...) -> /proc/sys writable, so no
//   ProtectKernelTunables= (it mounts /proc/sys read-only: every apply failed at "sysctls")
//   and no ProcSubset=pid (it hides /proc/sys).
// - the canary (web server and boot apply, never the monitor): `ip netns add` unshares a network
//   namespace and bind-mounts it under /run/netns, `ip netns exec` unshares a mount namespace and
//   mounts /sys -> CAP_SYS_ADMIN, RestrictNamespaces=net mnt, the @mount system calls and a
//   writable /run/netns. Its namespace's mount is made inside this unit's own mount namespace,
//   so another unit (or a shell) sees /run/netns/swyd-canary as an empty file it cannot enter
//   (docs/install.md, "Least privilege": a known limit of the canary's port code).

export type SandboxKind = "canary" | "plain";

export interface SandboxPaths {
  dataDir: string;
}

const RT_TABLES_D = "/etc/iproute2/rt_tables.d";

export function sandbox(p: SandboxPaths, kind: SandboxKind): string[] {
  const canary = kind === "canary";
  return [
    "UMask=0077",
    `CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW${canary ? " CAP_SYS_ADMIN" : ""}`,
    `AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW${canary ? " CAP_SYS_ADMIN" : ""}`,
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    `ReadWritePaths=${p.dataDir} ${RT_TABLES_D}${canary ? " /run/netns" : ""}`,
    // /run is read-only under ProtectSystem=strict and ReadWritePaths= needs the directory: made first, as root ('+')
    ...(canary ? ["ExecStartPre=+/bin/mkdir -p /run/netns"] : []),
    "ProtectHome=yes",
    "PrivateTmp=yes",
    // a mount made inside (the canary's netns) stays inside; ProtectSystem= already implied it
    "PrivateMounts=yes",
    "PrivateDevices=yes",
    // ProtectKernelTunables= is off: it makes /proc/sys read-only and Switchyard writes its sysctls
    "ProtectKernelModules=yes",
    "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
    "ProtectClock=yes",
    "ProtectHostname=yes",
    // other users' processes hidden; every Switchyard process is root, so the apply lock still sees its owner in /proc
    "ProtectProc=invisible",
    canary ? "RestrictNamespaces=net mnt" : "RestrictNamespaces=yes",
    "RestrictSUIDSGID=yes",
    "RestrictRealtime=yes",
    "LockPersonality=yes",
    // MemoryDenyWriteExecute= is off: Node's JIT needs writable, executable memory
    "SystemCallArchitectures=native",
    // @system-service has what node, ip, nft, iptables, conntrack, sysctl and ping call (ping
    // drops capabilities with capset, which @privileged would deny: no ~@privileged here);
    // @mount for `ip netns` (the canary)
    `SystemCallFilter=@system-service${canary ? " @mount" : ""}`,
    "SystemCallErrorNumber=EPERM",
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET",
    // PrivateNetwork=, PrivateUsers= and IPAddressDeny= are off: the service configures the host's
    // network as real root, and probes and serves the LAN and the ISPs' addresses
  ];
}
