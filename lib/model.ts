// The configuration Switchyard renders from, independent of the database.
// Everything here has passed the zod schemas in lib/validation.

export type NatMode = "SNAT" | "MASQUERADE";

/** static: the addresses below are configured; dhcp/ppp: they are learned from the kernel at every apply. */
export type AddressMode = "static" | "dhcp" | "ppp";

export interface IspConfig {
  name: string; // also the routing table's name
  wanInterface: string;
  gatewayAddress: string; // the ISP's next hop
  linkAddress: string; // the gateway's own address on the WAN link
  linkPrefix: number;
  routingTable: number; // 1-252
  mark: number; // 1-255, inside MARK_MASK
  enabled: boolean;
  natMode: NatMode;
  /** missing = static. A dynamic ISP's stored gatewayAddress/linkAddress are "" and linkPrefix 0 (lib/net/dynamic.ts fills them) */
  addressMode?: AddressMode;
  /** extra public blocks the ISP routes to the link address ("198.51.100.8/29"); NAT addresses may sit in them */
  routedBlocks?: string[];
  /** IPv6 through this ISP; absent = IPv6 off for this ISP (its hosts' IPv6 then follows their source prefix) */
  ipv6?: Ipv6Config;
  /**
   * Only for an ISP without ipv6: what becomes of the IPv6 of the hosts placed on it. "follow"
   * (absent, the default): it leaves by the ISP its source prefix belongs to; "unreachable":
   * refused at once with an ICMPv6 error, so the host's apps fall back to IPv4 (Happy Eyeballs),
   * which leaves by this ISP. Validation refuses it together with ipv6.
   */
  ipv6Hosts?: Ipv6Hosts;
}

export type Ipv6Hosts = "follow" | "unreachable";

/**
 * An ISP's IPv6 (docs/ipv6.md): the prefix it delegates or routes to this gateway and its
 * next hop on the WAN. Each LAN carries a /64 of each ISP's prefix (lanSubnets6); traffic
 * from a prefix leaves by its own ISP (BCP 38: an ISP drops sources that are not its own).
 */
export interface Ipv6Config {
  /**
   * absent = "static": prefix and gateway are typed in. "pd": the box's DHCPv6 client learns
   * them (prefix delegation) and puts a /64 on the LAN; Switchyard reads them from the kernel at
   * every apply (lib/net/dynamic6.ts) and stores prefix and gateway as "".
   */
  mode?: "static" | "pd";
  /** the delegated or routed prefix, /48 to /64, e.g. "2001:db8:1::/48" (canonical text) */
  prefix: string;
  /** the ISP's IPv6 next hop, reached through wanInterface: often link-local ("fe80::1") */
  gateway: string;
  /**
   * A host placed on this ISP that sends from another ISP's prefix: translate its source to
   * this ISP's prefix (NPTv6-style prefix mapping, RFC 6296) so it leaves here; false: its
   * IPv6 follows its source address, not its placement (and the board says so). Absent = true.
   */
  translate?: boolean;
}

export interface NatAddressConfig {
  address: string;
  isp: string; // ISP name
  isDefault: boolean;
  host: string | null; // pinned to this host's address
}

export interface HostConfig {
  name: string;
  address: string;
  /** every IPv6 address the host uses (privacy addresses included) is matched by this MAC; null: its IPv6 follows its source prefix */
  mac: string | null;
  isp: string | null; // null: the default ISP (or the default policy)
  /** a policy instead of one ISP; absent or null: none. Never set together with isp. */
  policy?: string | null;
  notes: string;
  /** derived, never staged: one of the canary's slots (lib/net/canary/slots.ts) */
  canary?: true;
}

/** One ISP of a policy. Members of the lowest tier that has an ISP up carry the traffic, balanced by weight. */
export interface PolicyMember {
  isp: string; // ISP name
  tier: number; // 1 = first choice; a higher tier is used only when no ISP of a lower one is up
  weight: number; // share of new connections within its tier
}

/**
 * A failover order ("fiber, then lte": one ISP per tier), a balanced group ("balanced 2:1":
 * one tier, weights), or both (tiers of balanced groups, as OPNsense's gateway groups).
 */
export interface PolicyConfig {
  name: string;
  members: PolicyMember[];
  /** balanced tiers: keep each (source, destination) pair on one ISP (a hash), for sites that break when the address changes */
  sticky: boolean;
  /** when none of its ISPs is up: this ISP, or null = unreachable (never an ISP the policy does not allow) */
  lastResort: string | null;
  notes: string;
}

export type Failback = "move" | "keep";

/** Which netfilter backend Switchyard renders and applies (lib/net/firewall). */
export type FirewallBackend = "iptables" | "nftables";
/** The setting: a backend, or "auto" (nftables where `nft` is there and no Switchyard iptables state is; lib/net/firewall/detect.ts). */
export type FirewallSetting = FirewallBackend | "auto";

/**
 * A LAN beside the main one (a guest network, a VLAN: `br-guest`, `lan0.30`): its own
 * interface and subnets, and optionally its own default target for the hosts it does not
 * list. Hosts may sit on any LAN; every rule, chain and verification covers each LAN with
 * its own `iif` (lib/net/lans.ts).
 */
export interface LanConfig {
  /** a short name for people and the CLI ("guest"); the main LAN is "lan" */
  name: string;
  interface: string;
  subnets: string[]; // gateway address/prefix, as lanSubnets
  /** the gateway's IPv6 address/64 on this LAN in each ISP's prefix, as lanSubnets6; absent = none */
  subnets6?: string[];
  /** the ISP or policy this LAN's unlisted hosts use; both absent: the gateway's default */
  defaultIsp?: string | null;
  defaultPolicy?: string | null;
}

export interface GatewaySettings {
  lanInterface: string;
  lanSubnets: string[]; // gateway address/prefix on the LAN, e.g. "192.168.1.1/24"
  /**
   * The gateway's IPv6 address/64 on the main LAN in each ISP's prefix, e.g.
   * ["2001:db8:1:1::1/64", "2001:db8:2:1::1/64"]; each lies inside one ISP's ipv6.prefix.
   * Absent or empty: no IPv6 on the LAN.
   */
  lanSubnets6?: string[];
  defaultIsp: string | null;
  /** the unlisted hosts use this policy instead of the default ISP; absent or null: none */
  defaultPolicy?: string | null;
  /** when an ISP comes back: move established connections back to it ("move", the default) or leave them where they are ("keep") */
  failback?: Failback;
  /** the netfilter backend; absent = "auto" */
  firewall?: FirewallSetting;
  /**
   * The canary (lib/net/canary): a port on the LAN bridge with a reserved address per target,
   * proving each target by a real forwarded connection. Absent = off; new installs have it on.
   * addresses: "default", an ISP's name or "policy:<name>" -> a LAN address (the rest are chosen).
   */
  canary?: { enabled: boolean; addresses?: Record<string, string> };
  /**
   * Router advertisements by Switchyard's own radvd (lib/net/ra): each LAN's /64s, a down ISP's
   * deprecated (preferred lifetime 0). Absent = off (the box's own RA daemon, if any, is left alone).
   */
  ra?: { enabled: boolean };
  /** LANs beside the main one (lanInterface/lanSubnets); absent = none */
  lans?: LanConfig[];
}

export interface GatewayConfig {
  settings: GatewaySettings;
  isps: IspConfig[];
  natAddresses: NatAddressConfig[];
  hosts: HostConfig[];
  /** absent: none. Fields that keep their default are left out, so older configurations stay byte-identical. */
  policies?: PolicyConfig[];
  /**
   * Derived, never staged: the ISPs the monitor found down when this configuration was
   * derived from the user's (lib/health/effective.ts). Render sends their traffic on.
   * capped: ISPs over their monthly cap with "last resort" set (lib/usage/caps.ts): used only
   * when no other ISP is up.
   */
  health?: { down: string[]; capped?: string[] };
  /** Derived, never staged: the backend "auto" resolved to on this gateway (lib/net/firewall/detect.ts). */
  firewallResolved?: FirewallBackend;
}
