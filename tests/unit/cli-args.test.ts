// The CLI's argument parsing and its pure output helpers (lib/cli/args.ts, issues.ts, json-error.ts).
import { describe, expect, it } from "vitest";
import { parseCli } from "@/lib/cli/args";
import { describeIssue, formatPath } from "@/lib/cli/issues";
import { parseJsonText } from "@/lib/cli/json-error";
import { canonicalJson } from "@/lib/engine/status";

const ok = (argv: string[]) => {
  const r = parseCli(argv);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(argv)} to parse, got: ${r.error}`);
  return r;
};
const err = (argv: string[]) => {
  const r = parseCli(argv);
  if (r.ok) throw new Error(`expected ${JSON.stringify(argv)} to be refused`);
  return r.error;
};

describe("parseCli: commands", () => {
  it("help for no arguments, help, --help and -h, whatever else is there", () => {
    for (const argv of [[], ["help"], ["--help"], ["-h"], ["apply", "--help"], ["plan", "-h", "--json"]]) {
      expect(ok(argv).command).toEqual({ name: "help" });
    }
  });

  it("config export and import", () => {
    expect(ok(["config", "export"]).command).toEqual({ name: "config-export", file: undefined });
    expect(ok(["config", "export", "--file", "out.json"]).command).toEqual({ name: "config-export", file: "out.json" });
    expect(ok(["config", "export", "--file=out.json"]).command).toEqual({ name: "config-export", file: "out.json" });
    expect(ok(["config", "import", "in.json"]).command).toEqual({ name: "config-import", file: "in.json" });
    expect(ok(["config", "import", "-"]).command).toEqual({ name: "config-import", file: "-" });
    expect(ok(["config", "import", "--", "-odd-name.json"]).command).toEqual({ name: "config-import", file: "-odd-name.json" });
    expect(err(["config"])).toBe("config needs export or import");
    expect(err(["config", "import"])).toMatch(/^config import needs a file/);
    expect(err(["config", "import", "a", "b"])).toBe('unexpected argument "b" for config');
    expect(err(["config", "import", "--file", "a"])).toMatch(/takes the file as an argument/);
    expect(err(["config", "delete"])).toBe('unknown config command "delete" (export or import)');
  });

  it("apply, its variants and reapply", () => {
    expect(ok(["apply"]).command).toEqual({ name: "apply", rollback: true, revision: undefined, lastGood: false });
    expect(ok(["apply", "--no-rollback"]).command).toEqual({ name: "apply", rollback: false, revision: undefined, lastGood: false });
    expect(ok(["apply", "--revision", "12"]).command).toEqual({ name: "apply", rollback: true, revision: 12, lastGood: false });
    expect(ok(["apply", "--last-good", "--host"]).command).toEqual({ name: "apply", rollback: true, revision: undefined, lastGood: true });
    expect(ok(["reapply", "7"]).command).toEqual({ name: "apply", rollback: true, revision: 7, lastGood: false });
    expect(err(["apply", "--revision", "3", "--last-good"])).toBe("--revision and --last-good exclude each other");
    expect(err(["reapply"])).toBe("reapply needs a revision number: reapply N");
  });

  it("revision numbers are positive whole numbers", () => {
    for (const bad of ["0", "-1", "1.5", "abc", "1e3", " 3", "0x10", "99999999999"]) {
      expect(err(["apply", `--revision=${bad}`])).toMatch(/^--revision: .* must be/);
    }
    expect(err(["reapply", "x"])).toBe('reapply: "x" must be a revision number (a whole number from 1 up)');
    expect(err(["apply", "--revision"])).toBe("--revision needs a value");
  });

  it("the other commands", () => {
    for (const name of ["plan", "verify", "status"] as const) expect(ok([name]).command).toEqual({ name });
    expect(ok(["revisions"]).command).toEqual({ name: "revisions", limit: 20 });
    expect(ok(["revisions", "--limit", "5"]).command).toEqual({ name: "revisions", limit: 5 });
    expect(ok(["lab", "up", "--prefix", "tcli3"]).command).toEqual({ name: "lab", action: "up", prefix: "tcli3" });
    expect(ok(["lab", "status"]).command).toEqual({ name: "lab", action: "status", prefix: undefined });
    expect(err(["lab"])).toBe("lab needs up, down or status");
    expect(err(["lab", "up", "--prefix", "has-dash"])).toMatch(/^--prefix: "has-dash" is not a valid lab prefix/);
  });
});

describe("parseCli: options", () => {
  it("global options anywhere, --json noticed", () => {
    const r = ok(["--json", "--lab", "tcli1", "apply", "--no-rollback"]);
    expect(r.json).toBe(true);
    expect(r.target).toEqual({ lab: "tcli1" });
    expect(ok(["status", "--netns", "router.1"]).target).toEqual({ netns: "router.1" });
    expect(ok(["status", "--host"]).target).toEqual({ host: true });
    expect(ok(["status"]).json).toBe(false);
  });

  it("namespace names follow the executor's rule", () => {
    expect(err(["--netns", "x;rm -rf /", "status"])).toBe(
      `--netns: "x;rm -rf /" is not a valid network namespace name (1-64 letters, digits, '.', '-' or '_', starting with a letter or digit)`,
    );
    for (const bad of ["", ".hidden", "a b", "a/b", "$(id)", "a".repeat(65), "ü"]) {
      expect(err(["status", `--netns=${bad}`])).toMatch(/^--netns: .* is not a valid network namespace name/);
    }
    expect(ok(["status", "--netns", "a".repeat(64)]).target.netns).toHaveLength(64);
  });

  it("one target at most", () => {
    expect(err(["status", "--host", "--netns", "gw"])).toBe("choose one target: --netns and --host were both given");
  });

  it("unknown commands and options, misplaced options, missing values", () => {
    expect(err(["frobnicate"])).toBe('unknown command "frobnicate"');
    expect(err(["status", "--verbose"])).toBe("unknown option --verbose");
    expect(err(["status", "-x"])).toBe("unknown option -x");
    expect(err(["plan", "--file", "x"])).toBe("option --file does not apply to plan");
    expect(err(["status", "--limit", "3"])).toBe("option --limit does not apply to status");
    expect(err(["status", "--netns"])).toBe("--netns needs a value");
    expect(err(["status", "--netns", "--json"])).toBe("--netns needs a value");
    expect(err(["status", "--json=yes"])).toBe("--json takes no value");
    expect(err(["plan", "extra"])).toBe('unexpected argument "extra" for plan');
  });

  it("a refused command line still says whether JSON was asked for", () => {
    expect(parseCli(["bogus", "--json"])).toEqual({ ok: false, json: true, error: 'unknown command "bogus"' });
  });
});

describe("output helpers", () => {
  it("formats an issue's place and names the entity", () => {
    expect(formatPath(["hosts", 1, "address"])).toBe("hosts[1].address");
    expect(formatPath(["settings", "lanSubnets", 0])).toBe("settings.lanSubnets[0]");
    expect(formatPath([])).toBe("(the whole file)");
    const input = { hosts: [{ name: "pc" }, { name: "laptop", address: "10.0.0.1" }], natAddresses: [{ address: "203.0.113.5" }], isps: ["junk"] };
    expect(describeIssue({ path: ["hosts", 1, "address"], message: "Bad" }, input)).toBe("hosts[1].address (laptop): Bad");
    expect(describeIssue({ path: ["natAddresses", 0, "isp"], message: "Bad" }, input)).toBe("natAddresses[0].isp (203.0.113.5): Bad");
    expect(describeIssue({ path: ["isps", 0], message: "Bad" }, input)).toBe("isps[0]: Bad");
    expect(describeIssue({ path: ["settings", "lanInterface"], message: "Bad" }, null)).toBe("settings.lanInterface: Bad");
  });

  it("says where JSON is broken", () => {
    expect(parseJsonText('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonText('{\n  "a": 1,\n  "b": }')).toEqual({ ok: false, error: 'expected a value, found "}" (line 3, column 8)' });
    expect(parseJsonText('{\n  "settings": {,\n}')).toEqual({ ok: false, error: 'expected a property name in double quotes, found "," (line 2, column 16)' });
    expect(parseJsonText('{"a": [1, 2,]}')).toEqual({ ok: false, error: "a comma before ']' (JSON allows no trailing comma) (line 1, column 13)" });
    expect(parseJsonText('{"a": 1 "b": 2}')).toEqual({ ok: false, error: `expected ',' or '}', found "\\"" (line 1, column 9)` });
    expect(parseJsonText("{'a': 1}")).toEqual({ ok: false, error: `expected a property name in double quotes, found "'" (line 1, column 2)` });
    expect(parseJsonText('{"a": "x\ny"}')).toEqual({
      ok: false,
      error: "a line break or control character inside a string (write \\n or \\t) (line 1, column 9)",
    });
    expect(parseJsonText('{"a": 1}}')).toEqual({ ok: false, error: 'unexpected "}" after the end of the JSON value (line 1, column 9)' });
    expect(parseJsonText('{"a": tru}')).toEqual({ ok: false, error: 'expected a value, found "t" (line 1, column 7)' });
    expect(parseJsonText('{"a": 1')).toEqual({ ok: false, error: "expected ',' or '}', found the end of the file (line 1, column 8)" });
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonText("  \n")).toEqual({ ok: false, error: "it is empty" });
  });

  it("compares configurations whatever their key order", () => {
    expect(canonicalJson({ b: 1, a: [{ y: 1, x: 2 }] })).toBe(canonicalJson({ a: [{ x: 2, y: 1 }], b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});

describe("canary", () => {
  it("show, on/off, set and unset parse; a missing address is refused with the usage", () => {
    expect(parseCli(["canary"])).toMatchObject({ ok: true, command: { name: "canary" } });
    expect(parseCli(["canary", "off"])).toMatchObject({ ok: true, command: { name: "canary", change: { action: "off" } } });
    expect(parseCli(["canary", "set", "ISP1", "192.168.1.250"])).toMatchObject({
      ok: true,
      command: { change: { action: "set", target: "ISP1", address: "192.168.1.250" } },
    });
    expect(parseCli(["canary", "unset", "policy:office"])).toMatchObject({ ok: true, command: { change: { action: "unset", target: "policy:office" } } });
    expect(parseCli(["canary", "set", "ISP1"])).toMatchObject({ ok: false, error: expect.stringMatching(/canary set needs a target and an address/) });
    expect(parseCli(["canary", "maybe"])).toMatchObject({ ok: false, error: expect.stringMatching(/unknown canary command/) });
  });
});

describe("lan", () => {
  it("lists, adds, changes and removes LANs; says what is missing", () => {
    expect(parseCli(["lan"])).toMatchObject({ ok: true, command: { name: "lan", action: "list" } });
    expect(parseCli(["lan", "add", "guest", "--interface", "br-guest", "--subnets", "10.30.0.1/24", "--isp", "LTE"])).toMatchObject({
      ok: true,
      command: { name: "lan", action: "add", lan: "guest", fields: { interface: "br-guest", subnets: "10.30.0.1/24", isp: "LTE" } },
    });
    expect(parseCli(["lan", "set", "guest", "--gateway-default", "--rename", "visitors"])).toMatchObject({
      ok: true,
      command: { action: "set", fields: { isp: "", name: "visitors" } },
    });
    expect(parseCli(["lan", "remove", "guest"])).toMatchObject({ ok: true, command: { action: "remove", lan: "guest" } });
    expect(parseCli(["lan", "add", "guest", "--interface", "br-guest"])).toMatchObject({
      ok: false,
      error: expect.stringMatching(/needs --interface and --subnets/),
    });
    expect(parseCli(["lan", "set", "guest", "--isp", "A", "--policy", "B"])).toMatchObject({
      ok: false,
      error: "choose one of --isp, --policy and --gateway-default",
    });
    expect(parseCli(["lan", "add"])).toMatchObject({ ok: false, error: expect.stringMatching(/needs the LAN's name/) });
    expect(parseCli(["plan", "--subnets", "x"])).toMatchObject({ ok: false, error: "option --subnets does not apply to plan" });
  });
});

describe("metrics-token", () => {
  it("lists by default, creates and revokes by a valid name, and refuses the rest", () => {
    expect(ok(["metrics-token"]).command).toEqual({ name: "metrics-token", action: "list" });
    expect(ok(["metrics-token", "create", "prometheus"]).command).toEqual({ name: "metrics-token", action: "create", tokenName: "prometheus" });
    expect(ok(["metrics-token", "revoke", "prometheus"]).command).toEqual({ name: "metrics-token", action: "revoke", tokenName: "prometheus" });
    expect(err(["metrics-token", "create"])).toMatch(/needs a name/);
    expect(err(["metrics-token", "create", "-x"])).toBeTruthy();
    expect(err(["metrics-token", "rotate", "x"])).toMatch(/unknown metrics-token command/);
    expect(err(["metrics-token", "list", "extra"])).toMatch(/unexpected argument/);
  });
});

describe("backup", () => {
  it("lists by default, writes now, sets the schedule with --keep, and refuses the rest", () => {
    expect(ok(["backup"]).command).toEqual({ name: "backup", action: "list" });
    expect(ok(["backup", "now"]).command).toEqual({ name: "backup", action: "now" });
    expect(ok(["backup", "schedule", "weekly", "--keep", "4"]).command).toEqual({ name: "backup", action: "schedule", every: "weekly", keep: 4 });
    expect(ok(["backup", "schedule", "off"]).command).toEqual({ name: "backup", action: "schedule", every: "off" });
    expect(err(["backup", "schedule", "hourly"])).toMatch(/Choose off, daily or weekly/);
    expect(err(["backup", "schedule", "daily", "--keep", "0"])).toMatch(/Keep at least 1 copy/);
    expect(err(["backup", "now", "--keep", "3"])).toMatch(/--keep goes with backup schedule/);
    expect(err(["backup", "schedule"])).toMatch(/needs off, daily or weekly/);
  });
});
