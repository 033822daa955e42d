// Example configurations: the seed (the classic two-ISP office) and shapes the tests use.
import type { GatewayConfig } from "@/lib/model";

export const classicOffice: GatewayConfig = {
  settings: { lanInterface: "lan0", lanSubnets: ["192.168.1.1/24"], defaultIsp: "ISP1" },
  isps: [
    {
      name: "ISP1",
      wanInterface: "eth0",
      gatewayAddress: "203.0.113.1",
      linkAddress: "203.0.113.10",
      linkPrefix: 24,
      routingTable: 100,
      mark: 1,
      enabled: true,
      natMode: "SNAT",
    },
    {
      name: "ISP2",
      wanInterface: "eth1",
      gatewayAddress: "198.51.100.1",
      linkAddress: "198.51.100.10",
      linkPrefix: 24,
      routingTable: 200,
      mark: 2,
      enabled: true,
      natMode: "SNAT",
    },
  ],
  natAddresses: [
    { address: "203.0.113.10", isp: "ISP1", isDefault: true, host: null },
    { address: "198.51.100.10", isp: "ISP2", isDefault: true, host: null },
  ],
  hosts: [
    { name: "office-pc", address: "192.168.1.100", mac: null, isp: "ISP1", notes: "Front desk" },
    { name: "laptop", address: "192.168.1.101", mac: null, isp: "ISP2", notes: "" },
  ],
};

/** Three ISPs with other names, interfaces, tables, marks and LAN, one on MASQUERADE, one host pinned. */
export const threeIsps: GatewayConfig = {
  settings: { lanInterface: "br-lan", lanSubnets: ["10.20.0.1/16"], defaultIsp: "fiber" },
  isps: [
    {
      name: "fiber",
      wanInterface: "wan-a",
      gatewayAddress: "100.70.1.1",
      linkAddress: "100.70.1.2",
      linkPrefix: 29,
      routingTable: 10,
      mark: 3,
      enabled: true,
      natMode: "SNAT",
    },
    {
      name: "cable",
      wanInterface: "wan-b",
      gatewayAddress: "100.71.0.1",
      linkAddress: "100.71.0.20",
      linkPrefix: 24,
      routingTable: 20,
      mark: 4,
      enabled: true,
      natMode: "SNAT",
    },
    {
      name: "lte",
      wanInterface: "wan-c",
      gatewayAddress: "100.72.0.1",
      linkAddress: "100.72.0.9",
      linkPrefix: 28,
      routingTable: 30,
      mark: 5,
      enabled: true,
      natMode: "MASQUERADE",
    },
  ],
  natAddresses: [
    { address: "100.70.1.2", isp: "fiber", isDefault: true, host: null },
    { address: "100.71.0.20", isp: "cable", isDefault: true, host: null },
    { address: "100.71.0.21", isp: "cable", isDefault: false, host: "10.20.5.25" },
  ],
  hosts: [
    { name: "nas", address: "10.20.0.10", mac: "52:54:00:00:00:10", isp: null, notes: "" },
    { name: "mail", address: "10.20.5.25", mac: null, isp: "cable", notes: "own public IP" },
    { name: "camera", address: "10.20.9.9", mac: null, isp: "lte", notes: "" },
  ],
};
