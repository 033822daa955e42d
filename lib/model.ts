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
  mac: string | null;
  isp: string | null; // null: the default ISP
  notes: string;
}

export interface GatewaySettings {
  lanInterface: string;
  lanSubnets: string[]; // gateway address/prefix on the LAN, e.g. "192.168.1.1/24"
  defaultIsp: string | null;
}

export interface GatewayConfig {
  settings: GatewaySettings;
  isps: IspConfig[];
  natAddresses: NatAddressConfig[];
  hosts: HostConfig[];
}
