// plan, nftables backend: Switchyard's table and its sets element by element, and the plan
// lines for its chains. Pure.
import type { ObservedState } from "@/lib/net/observe";
import { NFT_TABLE, type IptChain, type KernelState, type NftElement, type NftSet, type PlanLine } from "@/lib/net/types";
import { isNftChain } from "../chains";
import { baseText, elementText, type NftChange, type NftSetChange } from "./text";

export type NftPlan = Pick<NftChange, "ensureTable" | "deleteTable" | "setChanges" | "setsToDelete">;

const setKind = (s: NftSet) => `${s.type}|${s.map ?? ""}|${s.counter ? "counter" : ""}`;

/** nftables: the table, then each set element by element. A set whose type changed is deleted and created anew. */
export function planNft(desired: KernelState, observed: ObservedState | KernelState): NftPlan {
  const wants = desired.chains.some(isNftChain) || (desired as ObservedState).nftTable === true;
  const has = (observed as ObservedState).nftTable ?? observed.chains.some(isNftChain);
  if (!wants) return { ensureTable: false, deleteTable: has, setChanges: [], setsToDelete: [] };
  const seen = new Map((observed.sets ?? []).map((s) => [s.name, s]));
  const wanted = new Set((desired.sets ?? []).map((s) => s.name));
  const setsToDelete = (observed.sets ?? []).filter((s) => !wanted.has(s.name) || setKind(s) !== setKind((desired.sets ?? []).find((d) => d.name === s.name)!));
  const setChanges: NftSetChange[] = [];
  for (const set of desired.sets ?? []) {
    const o = seen.get(set.name);
    const create = !o || setsToDelete.includes(o);
    const before = new Map(create ? [] : o!.elements.map((e) => [e.key, e]));
    const now = new Map(set.elements.map((e) => [e.key, e]));
    const add = set.elements.filter((e) => before.get(e.key)?.value !== e.value || !before.has(e.key));
    const remove = [...before.values()].filter((e) => !now.has(e.key) || now.get(e.key)!.value !== e.value);
    if (create || add.length || remove.length) setChanges.push({ set, create, add, remove });
  }
  return { ensureTable: !has, deleteTable: false, setChanges, setsToDelete };
}

export function setLines(s: NftSetChange): PlanLine[] {
  const kind = s.set.map ? "map" : "set";
  const head: PlanLine[] = s.create ? [{ op: "+", kind: "set", text: `nft add ${kind} ${NFT_TABLE} ${s.set.name} (${s.set.elements.length} elements)` }] : [];
  const el = (op: "+" | "-", e: NftElement): PlanLine => ({ op, kind: "set", text: `${s.set.name}: ${elementText(e)}` });
  return [...head, ...s.remove.map((e) => el("-", e)), ...s.add.map((e) => el("+", e))];
}

export function nftChainLines(c: IptChain, before: IptChain | undefined): PlanLine[] {
  const at = `${NFT_TABLE} ${c.name}`;
  const add = (spec: string): PlanLine => ({ op: "+", kind: "chain", text: `${c.name}: ${spec}` });
  if (!before)
    return [
      { op: "+", kind: "chain", text: `nft add chain ${at}${c.base ? ` { ${baseText(c.base)} }` : ""} (${c.rules.length} rules)` },
      ...c.rules.map((r) => add(r.spec)),
    ];
  const old = new Set(before.rules.map((r) => r.spec));
  const now = new Set(c.rules.map((r) => r.spec));
  return [
    { op: "~", kind: "chain", text: `nft flush chain ${at}: refilled in the same transaction` },
    ...before.rules.filter((r) => !now.has(r.spec)).map((r): PlanLine => ({ op: "-", kind: "chain", text: `${c.name}: ${r.spec}` })),
    ...c.rules.filter((r) => !old.has(r.spec)).map((r) => add(r.spec)),
  ];
}

export const nftChainDeleteLine = (c: IptChain): PlanLine => ({
  op: "-",
  kind: "chain",
  text: `nft delete chain ${NFT_TABLE} ${c.name} (${c.rules.length} rules)`,
});

/** The plan lines of the table itself and its sets, before (head) and after (tail) the chains. */
export function nftHeadLines(p: NftPlan): PlanLine[] {
  return [...(p.ensureTable ? [{ op: "+", kind: "chain", text: `nft add table ${NFT_TABLE}` } as PlanLine] : []), ...p.setChanges.flatMap(setLines)];
}

export function nftTailLines(p: NftPlan, observed: Pick<KernelState, "chains" | "sets">): PlanLine[] {
  return [
    ...p.setsToDelete.map(
      (s): PlanLine => ({ op: "-", kind: "set", text: `nft delete ${s.map ? "map" : "set"} ${NFT_TABLE} ${s.name} (${s.elements.length} elements)` }),
    ),
    ...(p.deleteTable
      ? [
          {
            op: "-",
            kind: "chain",
            text: `nft delete table ${NFT_TABLE} (${observed.chains.filter(isNftChain).length} chains, ${(observed.sets ?? []).length} sets)`,
          } as PlanLine,
        ]
      : []),
  ];
}
