// Foreign RA daemons (lib/net/ra/foreign.ts): what Switchyard recognizes from a process's command
// line and configuration, and which ones stop it from advertising on a LAN; what `switchyard plan`
// says about router advertisements.
import { describe, expect, it } from "vitest";
import { classifyRa, raClashes } from "@/lib/net/ra/foreign";
import { raPlanNotes } from "@/lib/net/ra/plan";
import { renderRadvdConf } from "@/lib/net/ra/render";
import { classicOffice } from "@/lib/examples";

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

describe("the plan's router advertisement lines", () => {
  const base = structuredClone(classicOffice);
  base.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
  base.isps[1].ipv6 = { prefix: "2001:db8:b::/48", gateway: "fe80::2" };
  base.settings = { ...base.settings, lanSubnets6: ["2001:db8:a:1::1/64", "2001:db8:b:1::1/64"], ra: { enabled: true } };
  const off = { ...base, settings: { ...base.settings, ra: { enabled: false } } };
  const dnsmasq = { daemon: "dnsmasq" as const, pid: 7, interfaces: ["lan0"] };

  it("start, reload with the deprecated /64, nothing when it matches, stop", () => {
    expect(raPlanNotes(base, { conf: null, running: false }, [])).toEqual(["router advertisements: Switchyard's radvd would start: every /64 preferred"]);
    const down = { ...base, health: { down: ["ISP1"] } };
    expect(raPlanNotes(down, { conf: renderRadvdConf(base), running: true }, [])).toEqual([
      "router advertisements: Switchyard's radvd would reload: 2001:db8:a:1::/64 deprecated (ISP1 is down)",
    ]);
    expect(raPlanNotes(base, { conf: renderRadvdConf(base), running: true }, [])).toEqual([]);
    expect(raPlanNotes(off, { conf: renderRadvdConf(base), running: true }, [])).toEqual(["router advertisements: Switchyard's radvd would stop"]);
  });

  it("a foreign daemon: refused with RA on, named as out of Switchyard's control with RA off", () => {
    expect(raPlanNotes(base, { conf: null, running: false }, [dnsmasq])).toEqual([
      "router advertisements refused: dnsmasq (pid 7) sends router advertisements on lan0 (the apply fails at its ra step)",
    ]);
    expect(raPlanNotes(off, { conf: null, running: false }, [dnsmasq])).toEqual([
      "dnsmasq (pid 7) sends router advertisements on lan0: Switchyard does not control it, a down ISP's prefix is not deprecated",
    ]);
  });
});
