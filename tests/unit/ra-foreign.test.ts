// Foreign RA daemons (lib/net/ra/foreign.ts): what Switchyard recognizes from a process's command
// line and configuration, and which ones stop it from advertising on a LAN.
import { describe, expect, it } from "vitest";
import { classifyRa, raClashes } from "@/lib/net/ra/foreign";

const files: Record<string, string> = {
  "/etc/radvd.conf": "# the box's own\ninterface br-lan {\n AdvSendAdvert on;\n prefix ::/64 {};\n};\n# interface old0 {\n",
  "/srv/other.conf": "interface lan0\n{ AdvSendAdvert on; };\ninterface lan1 { AdvSendAdvert on; };\n",
  "/etc/dnsmasq.conf": "interface=br-lan,lan2\nenable-ra # RAs for dhcp-range ::,constructor\n",
  "/etc/dnsmasq-plain.conf": "interface=br-lan\ndhcp-range=10.0.0.10,10.0.0.99\n",
};
const read = (f: string) => files[f] ?? null;

describe("foreign RA daemons", () => {
  it("radvd: the interfaces of its configuration (the default file, or -C / --config=)", () => {
    expect(classifyRa(10, ["/usr/sbin/radvd", "--logmethod", "stderr_clean"], read)).toEqual({ daemon: "radvd", pid: 10, interfaces: ["br-lan"] });
    expect(classifyRa(11, ["radvd", "-C", "/srv/other.conf"], read)?.interfaces).toEqual(["lan0", "lan1"]);
    expect(classifyRa(12, ["radvd", "--config=/srv/missing.conf"], read)?.interfaces).toBeNull();
  });

  it("dnsmasq counts only with enable-ra (its file or its command line), with its interface= lines", () => {
    expect(classifyRa(20, ["/usr/sbin/dnsmasq"], read)).toEqual({ daemon: "dnsmasq", pid: 20, interfaces: ["br-lan", "lan2"] });
    expect(classifyRa(21, ["dnsmasq", "-C", "/etc/dnsmasq-plain.conf"], read)).toBeNull();
    expect(classifyRa(22, ["dnsmasq", "--conf-file=/etc/dnsmasq-plain.conf", "--enable-ra"], read)?.interfaces).toEqual(["br-lan"]);
  });

  it("odhcpd: interfaces unknown; anything else is not an RA daemon", () => {
    expect(classifyRa(30, ["/usr/sbin/odhcpd"], read)).toEqual({ daemon: "odhcpd", pid: 30, interfaces: null });
    expect(classifyRa(31, ["/usr/sbin/sshd"], read)).toBeNull();
  });

  it("clashes: a daemon on one of our LANs, or one whose interfaces are unknown", () => {
    const radvd = { daemon: "radvd" as const, pid: 1, interfaces: ["br-lan"] };
    const odhcpd = { daemon: "odhcpd" as const, pid: 2, interfaces: null };
    expect(raClashes([radvd], ["lan0"])).toEqual([]);
    expect(raClashes([radvd], ["lan0", "br-lan"])).toEqual([radvd]);
    expect(raClashes([radvd, odhcpd], ["lan0"])).toEqual([odhcpd]);
  });
});
