// CI fails when code outside lib/net/firewall/ tells the firewall backends apart by a chain's
// table (issue 22: "no file outside lib/net/firewall/ names a backend"). The rest of the tree
// asks lib/net/firewall: firewallOfState / firewallOfChain / firewallFor, or the pure
// predicates of lib/net/firewall/chains.ts (isNftChain) where a client component needs one.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sourceFiles } from "@/lib/checks/no-shell";

const root = path.resolve(import.meta.dirname, "../..");
const SCANNED = ["lib/", "components/", "app/", "bin/"];
const OWNER = "lib/net/firewall/";

const NFT = String.raw`["'\x60]nft["'\x60]`;
/** a line that reads a chain's table and names the nftables backend's table "nft" (===, !==, includes, ...) */
const TABLE_AND_NFT = [new RegExp(String.raw`\.table\b.*${NFT}`), new RegExp(String.raw`${NFT}.*\.table\b`)];
/** `switch (chain.table) { case "nft": ... }` */
const CASE_NFT = new RegExp(String.raw`\bcase\s+${NFT}\s*:`);

/** The line without its comment (a comment may name the backend; code may not). */
const code = (line: string) => (/^\s*(\/\/|\/?\*)/.test(line) ? "" : line.replace(/\s\/\/.*$/, ""));

/** "file:line: text" for every line of `src` that branches on a chain's backend table. */
function backendBranches(file: string, src: string): string[] {
  return src.split("\n").flatMap((line, i) => {
    const c = code(line);
    return TABLE_AND_NFT.some((re) => re.test(c)) || CASE_NFT.test(c) ? [`${file}:${i + 1}: ${line.trim()}`] : [];
  });
}

describe("no file outside lib/net/firewall/ branches on the backend's chain table", () => {
  const files = sourceFiles(root).filter((f) => SCANNED.some((d) => f.startsWith(d)) && !f.startsWith(OWNER));

  it("reads the tree", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain("lib/adopt/takeover.ts");
    expect(files).toContain("components/kernel/tables.tsx");
  });

  it("the tree has none", () => {
    expect(files.flatMap((f) => backendBranches(f, readFileSync(path.join(root, f), "utf8")))).toEqual([]);
  });

  it("names the file and line of a comparison, either way round, in code and JSX", () => {
    const src = [
      "const a = 1;",
      'const nft = desired.chains.some((c) => c.table === "nft");',
      "const owned = snapshot.owned.chains.filter((c) => c.table !== 'nft');",
      '{"nft" == chain.table ? "inet switchyard" : chain.table}',
      'if (["nft"].includes(chain?.table)) x();',
      "switch (chain.table) {",
      '  case "nft":',
    ].join("\n");
    expect(backendBranches("lib/x.ts", src).map((v) => v.split(":").slice(0, 2).join(":"))).toEqual([
      "lib/x.ts:2",
      "lib/x.ts:3",
      "lib/x.ts:4",
      "lib/x.ts:5",
      "lib/x.ts:7",
    ]);
  });

  it("leaves alone comments, a parser building a chain, a backend setting and the nft command", () => {
    const src = [
      '// chains of table "nft": see chain.table',
      ' * (table "nft") those of the nftables table; c.table',
      'const chain: IptChain = { table: "nft", name, rules: [] };',
      'if (snapshot.firewall === "nftables") x();',
      'await run(target, "nft", ["-j", "list", "table", NFT_FAMILY, NFT_NAME]);',
      "const n = isNftChain(chain) ? chain.base : chain.table;",
      'const t = c.table; // "nft" or an iptables table',
    ].join("\n");
    expect(backendBranches("lib/x.ts", src)).toEqual([]);
  });
});
