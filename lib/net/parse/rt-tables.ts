// Routing table names, as in /etc/iproute2/rt_tables (and rt_tables.d/*.conf).
// `ip` prints a table by name whenever this database has one, so the parsers
// need it to turn names back into numbers (or the caller runs `ip -N`).
// Also home of the few helpers the `ip -json` parsers share (end of file).

/** The names iproute2 knows even without an rt_tables file. */
const BUILTIN_TABLES: ReadonlyMap<string, number> = new Map([
  ["unspec", 0],
  ["default", 253],
  ["main", 254],
  ["local", 255],
]);

const MAX_TABLE = 0xffffffff;

/**
 * "255 local", "0xfe main", comments ("#" to end of line), blank lines.
 * iproute2 reads the same two forms (decimal and 0x-hex); it stops at a line
 * it cannot read, we skip such lines instead. A later line wins for a name.
 */
export function parseRtTables(text: string): Map<string, number> {
  const names = new Map<string, number>();
  for (const raw of text.split("\n")) {
    const [num, name] = raw.replace(/#.*/, "").trim().split(/\s+/);
    if (!num || !name) continue;
    const n = /^0x[0-9a-f]+$/i.test(num) ? parseInt(num, 16) : /^\d+$/.test(num) ? Number(num) : NaN;
    if (Number.isInteger(n) && n <= MAX_TABLE) names.set(name, n);
  }
  return names;
}

/**
 * A table as `ip -json` prints it ("main", "100", "isp1"; a number, should a
 * later iproute2 print one) -> its number. An unknown name throws: guessing
 * would make two different tables compare equal.
 */
export function tableNumber(value: unknown, names?: ReadonlyMap<string, number>): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value !== "string" || value === "") throw new Error(`table ${JSON.stringify(value)} is not a table`);
  if (/^\d+$/.test(value)) return Number(value);
  const n = names?.get(value) ?? BUILTIN_TABLES.get(value);
  if (n === undefined) {
    throw new Error(`unknown routing table name "${value}" (pass the rt_tables names, or run ip -N)`);
  }
  return n;
}

// --- small helpers shared by the `ip -json` parsers ---

/** `ip -json` output -> its top-level array. Empty output (nothing to list) is []. */
export function parseIpJsonArray(text: string, what: string): Record<string, unknown>[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (e) {
    const head = trimmed.length > 60 ? `${trimmed.slice(0, 60)}...` : trimmed;
    throw new Error(`${what}: output is not valid JSON (${(e as Error).message}): ${JSON.stringify(head)}`);
  }
  if (!Array.isArray(data) || !data.every((x) => x !== null && typeof x === "object" && !Array.isArray(x))) {
    throw new Error(`${what}: expected a JSON array of objects`);
  }
  return data as Record<string, unknown>[];
}

/**
 * An address as `ip` prints it, plus the prefix length it prints separately
 * (rules) or inline (routes) -> "a.b.c.d/len". `ip` leaves out the length of
 * a host address (/32, /128), so a bare address gets the host length.
 */
export function toCidr(addr: string, len?: unknown): string {
  if (addr.includes("/")) return addr;
  const host = addr.includes(":") ? 128 : 32;
  return `${addr}/${typeof len === "number" ? len : host}`;
}

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
