// JSON.parse with a position: where and why an imported file is not JSON. Pure.
/** JSON.parse, or where and why it failed: "expected ',' or '}', found "\"" (line 3, column 5)". */
export function parseJsonText(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = raw.replace(/^\uFEFF/, ""); // a byte order mark some editors write
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    if (text.trim() === "") return { ok: false, error: "it is empty" };
    const at = locateJsonError(text);
    if (!at) return { ok: false, error: (e instanceof Error ? e.message : String(e)).split("\n")[0] };
    const before = text.slice(0, at.pos);
    return { ok: false, error: `${at.reason} (line ${before.split("\n").length}, column ${before.length - before.lastIndexOf("\n")})` };
  }
}

/** Where JSON.parse gave up, and why: V8's own message often has no position. */
function locateJsonError(text: string): { pos: number; reason: string } | null {
  let i = 0;
  class Stop {
    constructor(
      public pos: number,
      public reason: string,
    ) {}
  }
  const found = () => (i >= text.length ? "the end of the file" : JSON.stringify(text[i]));
  const fail = (reason: string): never => {
    throw new Stop(i, reason);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail("a string is not closed (missing '\"')");
      const c = text[i];
      if (c === '"') return void i++;
      if (c === "\\") {
        const next = text[i + 1];
        if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail("invalid escape in a string");
      } else if (c < " ") fail("a line break or control character inside a string (write \\n or \\t)");
      else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        ws();
        if (c === "{") {
          if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
          string();
          ws();
          if (text[i] !== ":") fail(`expected ':' after the property name, found ${found()}`);
          i++;
        }
        value();
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === close) fail(`a comma before '${close}' (JSON allows no trailing comma)`);
          continue;
        }
        if (text[i] === close) return void i++;
        fail(`expected ',' or '${close}', found ${found()}`);
      }
    }
    if (c === '"') return string();
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    m.lastIndex = i;
    if (m.exec(text)) return void (i = m.lastIndex);
    fail(`expected a value, found ${found()}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof Stop) return { pos: e.pos, reason: e.reason };
    throw e;
  }
}
