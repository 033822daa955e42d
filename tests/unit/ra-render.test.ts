// Router advertisements (lib/net/ra/render.ts): the radvd.conf Switchyard's own radvd runs with,
// a down ISP's /64 deprecated (preferred lifetime 0) and back when it is up; nothing when RA is
// off or no LAN has IPv6, so configurations without it are unchanged.
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { renderRadvdConf } from "@/lib/net/ra/render";
import { radvdConfTest } from "@/lib/net/ra/apply";
import { HOST } from "@/lib/net/exec";
import { render } from "@/lib/net/render";
import { targetChainChanges } from "@/lib/engine/fast-failover";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

function dualStack(over: (c: GatewayConfig) => void = () => undefined): GatewayConfig {
  const c = structuredClone(classicOffice);
  c.settings = { ...c.settings, lanSubnets6: ["2001:db8:a:1::1/64", "2001:db8:b:1::1/64"], ra: { enabled: true } };
  c.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
  c.isps[1].ipv6 = { prefix: "2001:db8:b::/48", gateway: "2001:db8:ffff::1" };
  over(c);
  return c;
}

const prefixBlock = (net: string, isp: string, preferred: number, why = "") =>
  [
    `\tprefix ${net} {`,
    `\t\t# ${isp}${why}`,
    "\t\tAdvOnLink on;",
    "\t\tAdvAutonomous on;",
    `\t\tAdvPreferredLifetime ${preferred};`,
    "\t\tAdvValidLifetime 86400;",
    "\t};",
  ].join("\n");
const head = (iface: string) =>
  [`interface ${iface} {`, "\tAdvSendAdvert on;", "\tMinRtrAdvInterval 3;", "\tMaxRtrAdvInterval 10;", "\tAdvDefaultLifetime 600;"].join("\n");
const HEADER = "# Switchyard's router advertisements (lib/net/ra/render.ts): written by Switchyard on every apply, do not edit";

describe("radvd.conf", () => {
  it("advertises each ISP's /64 on the LAN, both preferred, when every ISP is up", () => {
    expect(renderRadvdConf(dualStack())).toBe(
      [HEADER, head("lan0"), prefixBlock("2001:db8:a:1::/64", "ISP1", 14400), prefixBlock("2001:db8:b:1::/64", "ISP2", 14400), "};", ""].join("\n"),
    );
  });

  it("deprecates a down ISP's /64 (preferred 0, still valid) and only that one", () => {
    const conf = renderRadvdConf({ ...dualStack(), health: { down: ["ISP1"] } });
    expect(conf).toBe(
      [
        HEADER,
        head("lan0"),
        prefixBlock("2001:db8:a:1::/64", "ISP1", 0, ": deprecated, ISP1 is down"),
        prefixBlock("2001:db8:b:1::/64", "ISP2", 14400),
        "};",
        "",
      ].join("\n"),
    );
  });

  it("a failover that deprecates a /64 never takes the fast path (chains only): the full apply's ra step runs", () => {
    const up = dualStack();
    const down = { ...up, health: { down: ["ISP1"] } };
    expect(renderRadvdConf(down)).not.toBe(renderRadvdConf(up));
    expect(targetChainChanges(render(up).state, render(down).state)).toBeNull();
  });

  it("one interface block per LAN with /64s; a LAN without IPv6 is not advertised on", () => {
    const conf = renderRadvdConf(
      dualStack((c) => {
        c.settings.lans = [
          { name: "guest", interface: "br-guest", subnets: ["192.168.50.1/24"], subnets6: ["2001:db8:b:50::1/64"] },
          { name: "iot", interface: "lan0.30", subnets: ["192.168.30.1/24"] },
        ];
      }),
    )!;
    expect(conf.split("\n").filter((l) => l.startsWith("interface"))).toEqual(["interface lan0 {", "interface br-guest {"]);
    expect(conf).toContain(`${head("br-guest")}\n${prefixBlock("2001:db8:b:50::/64", "ISP2", 14400)}\n};`);
  });

  it("nothing to advertise: RA off (absent or false), or no LAN /64", () => {
    expect(renderRadvdConf(dualStack((c) => delete c.settings.ra))).toBeNull();
    expect(renderRadvdConf(dualStack((c) => (c.settings.ra = { enabled: false })))).toBeNull();
    expect(renderRadvdConf(classicOffice)).toBeNull();
    expect(renderRadvdConf({ ...classicOffice, settings: { ...classicOffice.settings, ra: { enabled: true } } })).toBeNull();
  });

  it("refuses a token with whitespace (defence in depth)", () => {
    expect(() => renderRadvdConf(dualStack((c) => (c.settings.lanInterface = "lan0 {")))).toThrow(/refusing/);
  });

  it.skipIf(!fs.existsSync("/usr/sbin/radvd"))("radvd's own config test accepts it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ra-"));
    const file = path.join(dir, "radvd.conf");
    fs.writeFileSync(file, renderRadvdConf({ ...dualStack(), health: { down: ["ISP2"] } })!);
    expect(await radvdConfTest(HOST, file)).toBeNull();
    fs.writeFileSync(file, "interface lan0 { AdvSendAdvert on; MaxRtrAdvInterval 10 };\n");
    expect(await radvdConfTest(HOST, file)).toMatch(/syntax error/);
    fs.rmSync(dir, { recursive: true });
  });
});
