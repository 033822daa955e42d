// One iptables-save rule spec (without "-A CHAIN ") -> the few matches and the
// target that decide whom it affects. iptables-save normalises what was typed:
// `--set-mark 0x100` prints as `--set-xmark 0x100/0xffffffff`, addresses get "/32",
// a negated match prints "! -s ADDR". Anything negated is kept as `negated`, so a
// caller can stay conservative instead of guessing.
export interface IptSpec {
  src?: string;
  dst?: string;
  in?: string;
  out?: string;
  target?: string;
  /** -j MARK / CONNMARK --set-xmark VALUE/MASK (also --and-mark, --or-mark, which iptables-save prints as set-xmark) */
  setMark?: { value: number; mask: number };
  /** CONNMARK --restore-mark / --save-mark with their masks */
  connmarkOp?: { op: "restore" | "save"; nfmask: number; ctmask: number };
  /** options preceded by "!" */
  negated: string[];
  /** other match modules, e.g. ["conntrack", "mark"] */
  modules: string[];
}

export function parseIptSpec(spec: string): IptSpec {
  const t = spec.split(" ").filter(Boolean);
  const out: IptSpec = { negated: [], modules: [] };
  for (let i = 0; i < t.length; i++) {
    let neg = false;
    if (t[i] === "!") {
      neg = true;
      i++;
    }
    const opt = t[i];
    const val = t[i + 1];
    if (neg) out.negated.push(opt);
    switch (opt) {
      case "-s":
        if (!neg) out.src = val;
        i++;
        break;
      case "-d":
        if (!neg) out.dst = val;
        i++;
        break;
      case "-i":
        if (!neg) out.in = val;
        i++;
        break;
      case "-o":
        if (!neg) out.out = val;
        i++;
        break;
      case "-m":
        out.modules.push(val);
        i++;
        break;
      case "-j":
        out.target = val;
        i++;
        break;
      case "--set-xmark": {
        const [v, m] = (val ?? "").split("/");
        out.setMark = { value: Number(v), mask: m === undefined ? 0xffffffff : Number(m) };
        i++;
        break;
      }
      case "--restore-mark":
      case "--save-mark": {
        const nf = t.indexOf("--nfmask");
        const ct = t.indexOf("--ctmask");
        out.connmarkOp = {
          op: opt === "--restore-mark" ? "restore" : "save",
          nfmask: nf > 0 ? Number(t[nf + 1]) : 0xffffffff,
          ctmask: ct > 0 ? Number(t[ct + 1]) : 0xffffffff,
        };
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/**
 * A SWYD-ACCT counting rule: "-o eth0" (nftables: `oifname "eth0" counter`) counts what
 * leaves through the ISP, "-i eth0" (`iifname "eth0" counter`) what comes back.
 */
export function parseAccountingRule(spec: string): { direction: "out" | "in"; dev: string } | null {
  const m = /^-([io]) (\S+)$/.exec(spec) ?? /^([io])ifname "([^"]+)" counter$/.exec(spec);
  return m ? { direction: m[1] === "o" ? "out" : "in", dev: m[2] } : null;
}
