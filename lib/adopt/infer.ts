// The inference: a hand-made multi-ISP setup as the kernel holds it -> a proposed
// configuration, each item with the exact objects it came from, the objects it could not
// map (they stay foreign), what the old setup gets wrong, and the old objects an apply with
// "take over" replaces. Pure: the tests feed it captured kernel output.
//
// What it reads (the classic hybrid): an ISP is a routing table (1-252) whose default route
// goes via a gateway on an interface that has an address in the gateway's subnet (or a /32,
// point-to-point); its mark is the `fwmark M lookup T` rule's; its NAT is the nat POSTROUTING
// `-o DEV -j SNAT --to-source ADDR` (or MASQUERADE) rule's. Hosts come from mangle PREROUTING
// `-s HOST -j MARK --set-mark M` rules (for a packet, the last MARK rule that matches wins)
// and from `ip rule from HOST lookup T`. The default ISP is the one main's default route uses.
import { inferIpv6 } from "./infer6";
import { validateConfig } from "@/lib/validation";
import type { GatewayConfig, HostConfig, NatAddressConfig } from "@/lib/model";
import { cidrNetwork, inSubnet, ipToInt } from "@/lib/net/ipv4";
import type { IptChain, Route, Rule } from "@/lib/net/types";
import { iptText, parseMarkValue, routeText, ruleText, simpleOptions, SKIP_MARKED } from "./objects";
import { oldSetupProblems, type Findings } from "./problems";
import { readNat } from "./infer-nat";
import type { Adoption, AdoptInput, IptRuleRef, IspDraft, NotUnderstood, ProposedItem, TakeoverItem } from "./types";

const MAIN = 254;
const isStandardRule = (r: Rule) =>
  !r.src &&
  !r.dst &&
  r.fwmark === undefined &&
  !r.iif &&
  !r.oif &&
  !r.not &&
  !r.extra &&
  !r.action &&
  r.suppressPrefixLength === undefined &&
  ((r.priority === 0 && r.table === 255) || (r.priority === 32766 && r.table === MAIN) || (r.priority === 32767 && r.table === 253));
const onlySelectors = (r: Rule, ...keep: (keyof Rule)[]) =>
  (["src", "dst", "fwmark", "iif", "oif", "not", "extra", "action", "suppressPrefixLength"] as (keyof Rule)[]).every(
    (k) => keep.includes(k) || r[k] === undefined,
  );
const ISP_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,30}$/;
const RESERVED = new Set(["main", "local", "default", "unspec", "all"]);
const hostAddress = (src: string | undefined) => (src && src.endsWith("/32") ? src.slice(0, -3) : undefined);
const hex = (n: number) => `0x${n.toString(16)}`;

interface HostDraft {
  address: string;
  isp: string;
  /** the priority of the ip rule that decides: the host's own, or its mark's fwmark rule */
  priority: number;
  via: "rule" | "mark";
  from: string[];
}

export function inferAdoption(input: AdoptInput): Adoption {
  const { observed, addresses } = input;
  const notUnderstood: NotUnderstood[] = [];
  const takeover: TakeoverItem[] = [];
  const kept: TakeoverItem[] = [];
  const keep = (object: string, why: string) => notUnderstood.push({ object, why });
  const builtin = (table: string, chain: string) => observed.builtins.find((c) => c.table === table && c.name === chain);
  const tableName = (n: number) => input.rtTables.filter((t) => t.number === n).at(-1);

  // ---- ISPs: tables with a default route via a gateway on an addressed interface
  const byTable = new Map<number, Route[]>();
  for (const r of observed.foreign.routes)
    if (r.table !== MAIN && r.table !== 255 && r.table !== 253) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r]);
  const isps: IspDraft[] = [];
  const notIsp = new Map<number, string>();
  for (const [table, routes] of [...byTable].sort((a, b) => a[0] - b[0])) {
    const def = routes.filter((r) => r.dst === "default").sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))[0];
    const why = (() => {
      if (!def) return "it has no default route, so it is not an ISP's table";
      if (def.nexthops?.length) return "its default route is multipath (load balancing by route): Switchyard assigns one ISP per host";
      if (!def.gateway) return `its default route goes straight into ${def.dev} without a gateway (a tunnel or VPN), so it is not an ISP's table`;
      if (table > 252) return "Switchyard's ISP tables are numbered 1-252";
      if (isps.some((i) => i.isp.wanInterface === def.dev)) return `another table already routes the ISP on ${def.dev}`;
      return null;
    })();
    const link = def?.gateway
      ? addresses.find((a) => a.dev === def.dev && (a.prefix === 32 || inSubnet(def.gateway!, a.address, a.prefix)) && a.address !== def.gateway)
      : undefined;
    if (why || !link) {
      const reason = why ?? `its gateway ${def!.gateway} is in no subnet of ${def!.dev}'s addresses`;
      notIsp.set(table, reason);
      for (const r of routes) keep(routeText(r), `table ${table}: ${reason}; left as it is`);
      continue;
    }
    const named = tableName(table);
    const name = named && ISP_NAME.test(named.name) && !RESERVED.has(named.name.toLowerCase()) ? named.name : `isp${table}`;
    const draft: IspDraft = {
      isp: {
        name,
        wanInterface: def!.dev,
        gatewayAddress: def!.gateway!,
        linkAddress: link.address,
        linkPrefix: link.prefix,
        routingTable: table,
        mark: 0,
        enabled: true,
        natMode: "MASQUERADE",
      },
      from: [...(named ? [`${named.file}: ${named.number} ${named.name}`] : []), routeText(def!), `ip addr: ${link.address}/${link.prefix} dev ${link.dev}`],
      nat: null,
      lanRoutes: [],
      hasSourceRule: false,
    };
    takeover.push({ route: def! });
    isps.push(draft);
  }
  const ispOfTable = (t: number) => isps.find((i) => i.isp.routingTable === t);
  const ispOfDev = (d: string | undefined) => isps.find((i) => i.isp.wanInterface === d);

  // ---- the LAN: the interface the marks match on, else the private-addressed one that is neither a WAN nor a tunnel
  const marksIn = builtin("mangle", "PREROUTING")
    ?.rules.map((r) => simpleOptions(r.spec, ["-s", "-i", "-j", "--set-xmark"])?.get("-i"))
    .find(Boolean);
  const tunnels = new Set(
    [...byTable.values()]
      .flat()
      .filter((r) => r.dst === "default" && !r.gateway)
      .map((r) => r.dev),
  );
  const privateAddr = (a: string) => inSubnet(a, "10.0.0.0", 8) || inSubnet(a, "172.16.0.0", 12) || inSubnet(a, "192.168.0.0", 16);
  const lanIf = marksIn ?? addresses.find((a) => a.dev !== "lo" && privateAddr(a.address) && !ispOfDev(a.dev) && !tunnels.has(a.dev))?.dev;
  const lanAddrs = addresses.filter((a) => a.dev === lanIf);
  const lanNets = lanAddrs.map((a) => cidrNetwork(a.address, a.prefix));
  const inLan = (a: string) => lanAddrs.some((l) => inSubnet(a, l.address, l.prefix));
  const isLanNet = (src: string | undefined) => src !== undefined && lanNets.includes(src);

  // ---- the other routes of the ISP tables: link and LAN routes are the ISP's, the rest stays
  for (const d of isps) {
    for (const r of byTable.get(d.isp.routingTable)!) {
      if (takeover.some((t) => t.route === r)) continue; // the default route, read above
      const linkNet = cidrNetwork(d.isp.linkAddress, d.isp.linkPrefix);
      if (r.dst === linkNet && r.dev === d.isp.wanInterface && !r.gateway) {
        d.from.push(routeText(r));
        takeover.push({ route: r });
      } else if (lanNets.includes(r.dst) && r.dev === lanIf && !r.gateway) {
        d.lanRoutes.push(r.dst);
        d.from.push(routeText(r));
        takeover.push({ route: r });
      } else {
        keep(
          routeText(r),
          `${d.isp.name}'s table ${d.isp.routingTable} holds more than the link, LAN and default routes Switchyard renders; this route stays as it is`,
        );
      }
    }
  }

  // ---- ip rules: marks, the ISPs' own addresses, hosts
  const hosts = new Map<string, HostDraft>();
  const conflicts: string[] = [];
  const setHost = (address: string, isp: string, priority: number, via: HostDraft["via"], from: string[]) => {
    const was = hosts.get(address);
    // a later MARK rule overwrites an earlier one's mark
    if (was && via === "mark" && was.via === "mark") {
      if (was.isp !== isp) conflicts.push(`${address} is marked twice; the later rule wins: ${isp} (not ${was.isp})`);
    } else if (was && was.isp !== isp) {
      const [win, lose] = was.priority <= priority ? [was, { isp }] : [{ isp, priority }, was];
      conflicts.push(`${address} is sent to ${was.isp} and to ${isp}; the rule at priority ${win.priority} decides first: ${win.isp} (not ${lose.isp})`);
      if (win === was) return void was.from.push(...from);
    }
    hosts.set(address, { address, isp, priority, via, from: [...(was?.from ?? []), ...from] });
  };
  let defaultFrom: { isp: string; from: string[] } | null = null;
  const hostRules: Rule[] = [];
  for (const r of observed.foreign.rules) {
    if (isStandardRule(r)) continue;
    const d = ispOfTable(r.table);
    const text = ruleText(r);
    if (!d || r.action) {
      keep(
        text,
        notIsp.has(r.table)
          ? `it looks up table ${r.table}, and ${notIsp.get(r.table)}`
          : r.action
            ? `a rule with action ${r.action} is not part of the multi-ISP model`
            : `table ${r.table} is not an ISP's table`,
      );
      continue;
    }
    if (r.fwmark !== undefined && onlySelectors(r, "fwmark")) {
      if (d.oldMark) keep(text, `${d.isp.name} already has its mark rule (${hex(d.oldMark.value)})`);
      else {
        d.oldMark = { value: r.fwmark, mask: r.fwmask ?? 0xffffffff, priority: r.priority };
        d.from.push(text);
        takeover.push({ rule: r });
      }
      continue;
    }
    const addr = hostAddress(r.src);
    if (r.src && onlySelectors(r, "src")) {
      if (addr && addresses.some((a) => a.address === addr && a.dev === d.isp.wanInterface)) {
        d.from.push(text);
        d.hasSourceRule = true;
        takeover.push({ rule: r });
      } else if (addr && inLan(addr)) {
        setHost(addr, d.isp.name, r.priority, "rule", [text]);
        hostRules.push(r);
        takeover.push({ rule: r });
      } else if (isLanNet(r.src) && !defaultFrom) {
        defaultFrom = { isp: d.isp.name, from: [text] };
        takeover.push({ rule: r });
      } else {
        keep(text, `from ${r.src} is neither an address of ${d.isp.wanInterface}, nor a LAN host, nor the whole LAN`);
      }
      continue;
    }
    keep(text, "it matches on more than a source address or a mark (destination, interface, protocol, port...): Switchyard assigns whole hosts to ISPs");
  }

  // ---- marks in mangle PREROUTING: for a packet the last MARK rule that matches wins
  const markedIsp = (v: number) => isps.find((i) => i.oldMark && (v & i.oldMark.mask) === i.oldMark.value);
  let catchAll: { isp: string; from: string[] } | null = null;
  let connmark = false;
  let marks = 0;
  for (const [table, chain] of [
    ["mangle", "PREROUTING"],
    ["mangle", "FORWARD"],
    ["mangle", "OUTPUT"],
    ["mangle", "POSTROUTING"],
  ] as const) {
    for (const rule of builtin(table, chain)?.rules ?? []) {
      const ref: IptRuleRef = { table, chain, spec: rule.spec };
      const text = iptText(ref);
      const target = /(?:^| )-j (\S+)/.exec(rule.spec)?.[1];
      if (target !== "MARK" && target !== "CONNMARK" && !SKIP_MARKED.test(rule.spec)) continue;
      if (chain !== "PREROUTING") {
        keep(text, `a mark written in ${chain}: Switchyard marks LAN traffic in PREROUTING only`);
        continue;
      }
      if (SKIP_MARKED.test(rule.spec)) {
        takeover.push({ iptables: ref });
        continue;
      }
      if (target === "CONNMARK") {
        const o = simpleOptions(rule.spec, ["-i", "-j", "--restore-mark", "--save-mark", "--nfmask", "--ctmask"]);
        if (o && (o.has("--restore-mark") || o.has("--save-mark"))) {
          connmark = true;
          takeover.push({ iptables: ref });
        } else keep(text, "a connection mark written another way than saving or restoring the packet mark");
        continue;
      }
      marks++;
      const o = simpleOptions(rule.spec, ["-s", "-i", "-j", "--set-xmark"]);
      const m = o?.get("--set-xmark") ? parseMarkValue(o.get("--set-xmark")!) : null;
      const d = m ? markedIsp(m.value) : undefined;
      if (!o || !m) {
        keep(
          text,
          "it marks by more than the source address (a port, a protocol, a destination...): Switchyard assigns whole hosts to ISPs, so this rule stays foreign. After a take over it still runs, but Switchyard's mark re-assertion at the end of PREROUTING undoes it: that traffic then follows its host's ISP",
        );
        continue;
      }
      if (!d) {
        keep(text, `no ip rule routes mark ${hex(m.value)} into an ISP's table`);
        continue;
      }
      if (o.has("-i") && o.get("-i") !== lanIf) {
        keep(text, `it marks traffic arriving on ${o.get("-i")}, not on the LAN ${lanIf}`);
        continue;
      }
      const addr = hostAddress(o.get("-s"));
      const from = [text, ruleText({ family: 4, priority: d.oldMark!.priority, fwmark: d.oldMark!.value, fwmask: d.oldMark!.mask, table: d.isp.routingTable })];
      if (!o.has("-s") || isLanNet(o.get("-s"))) {
        catchAll = { isp: d.isp.name, from };
        // MARK does not stop the chain: a catch-all after host rules rewrites their marks too
        for (const h of hosts.values()) {
          if (h.via !== "mark" || h.isp === d.isp.name) continue;
          conflicts.push(`${h.address} is marked for ${h.isp}, but the catch-all mark rule after it rewrites the mark: ${d.isp.name}`);
          h.isp = d.isp.name;
        }
        takeover.push({ iptables: ref });
      } else if (addr && inLan(addr)) {
        setHost(addr, d.isp.name, d.oldMark!.priority, "mark", from);
        takeover.push({ iptables: ref });
      } else {
        keep(text, `${o.get("-s")} is not one LAN host: Switchyard assigns single hosts (or everyone else, through the default ISP)`);
      }
    }
  }

  // ---- NAT in nat POSTROUTING
  // sources the gateway forwards besides the LAN: main's routes into other interfaces (a tunnel, a second site)
  const otherSources = observed.foreign.routes
    .filter((r) => r.table === MAIN && r.dst !== "default" && r.dev && r.dev !== lanIf && r.dev !== "lo" && !ispOfDev(r.dev))
    .map((r) => `${r.dst} via ${r.dev}`);
  const { snatNoIsp, deadNat, pins, pinFrom } = readNat(builtin("nat", "POSTROUTING")?.rules ?? [], {
    addresses,
    isps,
    isLanNet,
    inLan,
    keep,
    takeover,
    kept,
    otherSources,
  });

  // ---- marks: keep the old values where they fit Switchyard's bits (0xff), else the lowest free ones
  const used = new Set<number>();
  for (const d of isps) if (d.oldMark && d.oldMark.value >= 1 && d.oldMark.value <= 255 && !used.has(d.oldMark.value)) used.add((d.isp.mark = d.oldMark.value));
  const markNotes: string[] = [];
  for (const d of isps.filter((x) => x.isp.mark === 0)) {
    let m = 1;
    while (used.has(m)) m++;
    used.add((d.isp.mark = m));
    d.from.push(
      d.oldMark
        ? `mark ${hex(d.oldMark.value)} does not fit Switchyard's mark bits 0xff: ${hex(m)} instead`
        : `no fwmark rule for table ${d.isp.routingTable}: mark ${hex(m)} is a free one`,
    );
    if (d.oldMark) markNotes.push(d.isp.name);
  }

  // ---- the default ISP: the one main's default route uses (unmarked traffic went there)
  const mainDefault = observed.foreign.routes.find((r) => r.table === MAIN && r.dst === "default");
  const viaMain = mainDefault ? ispOfDev(mainDefault.dev) : undefined;
  const def =
    catchAll ??
    (defaultFrom as { isp: string; from: string[] } | null) ??
    (viaMain ? { isp: viaMain.isp.name, from: [`${routeText(mainDefault!)} (main)`] } : null);

  notUnderstood.push(...unreadChains(observed.foreign.chains));
  if (isps.length === 0 || !lanIf || lanAddrs.length === 0) {
    const why = isps.length === 0 ? "no routing table has a default route through an ISP's gateway" : "no LAN interface with an address was found";
    return { config: null, nothing: `Nothing to adopt: ${why}.`, items: [], notUnderstood, problems: [], takeover: [], kept: [] };
  }

  const natAddresses: NatAddressConfig[] = [];
  const items: ProposedItem[] = [];
  const config: GatewayConfig = {
    settings: { lanInterface: lanIf, lanSubnets: lanAddrs.map((a) => `${a.address}/${a.prefix}`), defaultIsp: def?.isp ?? isps[0].isp.name },
    isps: isps.map((d) => d.isp),
    natAddresses,
    hosts: [],
  };
  items.push(
    {
      path: "settings.lanInterface",
      label: "LAN interface",
      value: lanIf,
      from: [...(marksIn ? [`the marks match -i ${marksIn}`] : []), ...lanAddrs.map((a) => `ip addr: ${a.address}/${a.prefix} dev ${a.dev}`)],
    },
    {
      path: "settings.defaultIsp",
      label: "Default ISP (everyone not listed)",
      value: config.settings.defaultIsp!,
      from: def?.from ?? ["no default route in main and no catch-all mark: the first ISP"],
    },
  );
  isps.forEach((d, i) => {
    items.push({
      path: `isps.${i}`,
      label: `ISP ${d.isp.name}`,
      value: `${d.isp.wanInterface}, gateway ${d.isp.gatewayAddress}, ${d.isp.linkAddress}/${d.isp.linkPrefix}, table ${d.isp.routingTable}, mark ${hex(d.isp.mark)}, ${d.isp.natMode}`,
      from: d.from,
    });
    if (d.nat) {
      natAddresses.push({ address: d.nat.address, isp: d.isp.name, isDefault: true, host: null });
      items.push({
        path: `natAddresses.${natAddresses.length - 1}`,
        label: `NAT address ${d.nat.address}`,
        value: `${d.isp.name}, default`,
        from: [d.nat.from],
      });
    }
  });
  const hostList: HostConfig[] = [...hosts.values()]
    .sort((a, b) => ipToInt(a.address) - ipToInt(b.address))
    .map((h) => ({ name: `host-${h.address.replace(/\./g, "-")}`, address: h.address, mac: null, isp: h.isp, notes: "adopted" }));
  for (const p of pins)
    if (!hostList.some((h) => h.address === p.host))
      hostList.push({ name: `host-${p.host!.replace(/\./g, "-")}`, address: p.host!, mac: null, isp: null, notes: "adopted (pinned NAT address)" });
  config.hosts = hostList;
  hostList.forEach((h, i) =>
    items.push({ path: `hosts.${i}`, label: `Host ${h.address}`, value: h.isp ? `on ${h.isp}` : "on the default ISP", from: hosts.get(h.address)?.from ?? [] }),
  );
  pins.forEach((p, i) => {
    natAddresses.push(p);
    items.push({
      path: `natAddresses.${natAddresses.length - 1}`,
      label: `NAT address ${p.address}`,
      value: `${p.isp}, pinned to ${p.host}`,
      from: pinFrom[i],
    });
  });

  // ---- IPv6 (read only: the old IPv6 objects stay; Switchyard's ip -6 rules run ahead of them)
  if (observed.foreign.v6) {
    const six = inferIpv6(observed.foreign.v6.routes, observed.foreign.v6.rules, input.addresses6 ?? [], config.isps, lanIf);
    notUnderstood.push(...six.notes);
    if (six.isps.size > 0) {
      const dual: GatewayConfig = {
        ...config,
        isps: config.isps.map((i) =>
          six.isps.has(i.name) ? { ...i, ipv6: { prefix: six.isps.get(i.name)!.prefix, gateway: six.isps.get(i.name)!.gateway } } : i,
        ),
        settings: { ...config.settings, ...(six.lanSubnets6.length ? { lanSubnets6: six.lanSubnets6 } : {}) },
      };
      // a proposal must import as it is: IPv6 that does not validate is said and left out, IPv4 kept
      const v = validateConfig(dual);
      const wrong6 = v.ok ? [] : v.issues.filter((x) => x.path.some((k) => k === "ipv6" || k === "lanSubnets6"));
      if (wrong6.length) {
        notUnderstood.push({ object: "IPv6", why: `read but left out of the proposal: ${wrong6[0].path.join(".")}: ${wrong6[0].message}` });
      } else {
        config.isps = dual.isps;
        config.settings = dual.settings;
        config.isps.forEach((isp, i) => {
          const x = six.isps.get(isp.name);
          if (x) items.push({ path: `isps.${i}.ipv6`, label: `IPv6 of ${isp.name}`, value: `prefix ${x.prefix}, next hop ${x.gateway}`, from: x.from });
        });
        if (six.lanSubnets6.length)
          items.push({ path: "settings.lanSubnets6", label: "LAN IPv6 subnets", value: six.lanSubnets6.join(", "), from: six.lanFrom });
      }
    }
  }

  const findings: Findings = {
    config,
    lanNets,
    marks,
    connmark,
    hostRules: hostRules.length,
    conflicts,
    snatNoIsp,
    deadNat,
    markNotes,
    isps: isps.map((d) => ({
      name: d.isp.name,
      table: d.isp.routingTable,
      lanRoutes: d.lanRoutes,
      hasSourceRule: d.hasSourceRule,
      nat: d.natKind ?? null,
      linkAddress: d.isp.linkAddress,
      dev: d.isp.wanInterface,
    })),
    mainDefault: mainDefault ? { dev: mainDefault.dev, gateway: mainDefault.gateway, isp: viaMain?.isp.name ?? null } : null,
  };
  return { config, items, notUnderstood, problems: oldSetupProblems(findings), takeover, kept };
}

/** The foreign user chains of mangle and nat that write marks or NAT: not read, named. */
export function unreadChains(chains: IptChain[]): NotUnderstood[] {
  return chains
    .filter((c) => (c.table === "mangle" || c.table === "nat") && c.rules.some((r) => / -j (MARK|CONNMARK|SNAT|MASQUERADE)\b/.test(` ${r.spec}`)))
    .map((c) => ({
      object: `iptables -t ${c.table} chain ${c.name} (${c.rules.length} rules)`,
      why: "rules in user chains are not read (only the built-in chains are); left as they are",
    }));
}
