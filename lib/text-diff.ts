// A line diff of two texts (the rendered rulesets of two revisions): the longest
// common subsequence of lines, after trimming what both share at the start and end
// (rulesets differ in a few lines, so the table stays small). Pure.

export interface DiffLine {
  op: " " | "+" | "-";
  text: string;
  /** 1-based line numbers in a (before) and b (after); absent on the side the line is not in */
  a?: number;
  b?: number;
}

/** Above this many cells the LCS table is not built: the middle shows as removed then added. */
const MAX_CELLS = 25_000_000;

const splitLines = (s: string) => (s === "" ? [] : s.replace(/\n$/, "").split("\n"));

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ op: " ", text: a[i], a: i + 1, b: i + 1 });
  out.push(...middle(a, b, start, endA, endB));
  for (let i = endA, j = endB; i < a.length; i++, j++) out.push({ op: " ", text: a[i], a: i + 1, b: j + 1 });
  return out;
}

function middle(a: string[], b: string[], start: number, endA: number, endB: number): DiffLine[] {
  const n = endA - start;
  const m = endB - start;
  const out: DiffLine[] = [];
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) out.push({ op: "-", text: a[i], a: i + 1 });
    for (let j = start; j < endB; j++) out.push({ op: "+", text: b[j], b: j + 1 });
    return out;
  }
  // lcs[i][j]: length of the LCS of a[start+i..endA) and b[start+j..endB)
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      out.push({ op: " ", text: a[start + i], a: start + i + 1, b: start + j + 1 });
      i++;
      j++;
    } else if (j === m || (i < n && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
      // on a tie the removal goes first: a change reads "- old" then "+ new"
      out.push({ op: "-", text: a[start + i], a: start + i + 1 });
      i++;
    } else {
      out.push({ op: "+", text: b[start + j], b: start + j + 1 });
      j++;
    }
  }
  return out;
}

/** How many lines were added and removed. */
export function diffStats(lines: DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.op === "+") added++;
    else if (l.op === "-") removed++;
  }
  return { added, removed };
}

/**
 * Only the changed lines and `context` unchanged lines around each change; runs of
 * unchanged lines in between become one { op: " ", text: "…", skipped } marker.
 */
export function withContext(lines: DiffLine[], context = 3): (DiffLine & { skipped?: number })[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.op === " ") return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: (DiffLine & { skipped?: number })[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (keep[i]) {
      if (skipped) out.push({ op: " ", text: "…", skipped });
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped) out.push({ op: " ", text: "…", skipped });
  return out;
}
