// A strict parser of the Prometheus text exposition format (0.0.4), for the tests of /metrics:
// every line is a "# HELP name text", a "# TYPE name type", or a sample `name{label="v",...} value`;
// anything else throws, with the line. Samples must follow their family's TYPE line.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  help?: string;
  type?: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

function parseValue(s: string, line: string): number {
  if (s === "+Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  if (s === "NaN") return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new Error(`not a number "${s}" in: ${line}`);
  return Number(s);
}

function parseLabels(body: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(body.slice(i));
    if (!m) throw new Error(`bad label at "${body.slice(i)}" in: ${line}`);
    i += m[0].length;
    let v = "";
    for (;;) {
      if (i >= body.length) throw new Error(`unterminated label value in: ${line}`);
      const c = body[i++];
      if (c === '"') break;
      if (c === "\\") {
        const e = body[i++];
        if (e === "n") v += "\n";
        else if (e === "\\" || e === '"') v += e;
        else throw new Error(`bad escape \\${e} in: ${line}`);
      } else v += c;
    }
    if (m[1] in labels) throw new Error(`label ${m[1]} twice in: ${line}`);
    labels[m[1]] = v;
    if (body[i] === ",") i++;
    else if (i < body.length) throw new Error(`expected "," after a label in: ${line}`);
  }
  return labels;
}

/** The families by name; throws on the first line that is not the format. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const base = (name: string) => name.replace(/_(bucket|sum|count)$/, "");
  const family = (name: string) => families.get(name) ?? (families.set(name, { name, samples: [] }), families.get(name)!);
  if (!text.endsWith("\n")) throw new Error("the text must end with a newline");
  for (const line of text.slice(0, -1).split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      if (!NAME.test(meta[2])) throw new Error(`bad metric name in: ${line}`);
      const f = family(meta[2]);
      if (meta[1] === "HELP") f.help = meta[3];
      else if (TYPES.has(meta[3])) f.type = meta[3];
      else throw new Error(`unknown type in: ${line}`);
      continue;
    }
    if (line.startsWith("#")) continue; // a comment
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const f = families.get(m[1]) ?? families.get(base(m[1]));
    if (!f?.type) throw new Error(`sample before its TYPE line: ${line}`);
    f.samples.push({ name: m[1], labels: m[2] ? parseLabels(m[2], line) : {}, value: parseValue(m[3], line) });
  }
  return families;
}

/** The value of one sample, by name and labels (exactly those labels); undefined when absent. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const f = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ""));
  const key = JSON.stringify(Object.entries(labels).sort());
  return f?.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === key)?.value;
}
