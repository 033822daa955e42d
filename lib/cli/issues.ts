// Validation issues as the CLI prints them: a place in the file, the item's name, the message. Pure.
type IssuePath = (string | number)[];

/** ["hosts", 1, "address"] -> "hosts[1].address" */
export function formatPath(path: IssuePath): string {
  if (path.length === 0) return "(the whole file)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** "hosts[1].address (laptop): The address must be inside a LAN subnet (192.168.1.1/24)" */
export function describeIssue(issue: { path: IssuePath; message: string }, input: unknown): string {
  const [collection, index] = issue.path;
  let label = "";
  if (typeof index === "number" && input && typeof input === "object") {
    const list = (input as Record<string, unknown>)[String(collection)];
    const item = Array.isArray(list) ? list[index] : undefined;
    if (item && typeof item === "object") {
      const { name, address } = item as { name?: unknown; address?: unknown };
      const l = typeof name === "string" && name ? name : typeof address === "string" && address ? address : "";
      if (l) label = ` (${l})`;
    }
  }
  return `${formatPath(issue.path)}${label}: ${issue.message}`;
}
