// Long host lists, one page at a time (the Hosts page and the dashboard's board). 10,000 hosts
// (the schema's maximum) made /hosts 21.8 MB of HTML and held the server's one JavaScript
// thread for seconds, so every other user waited too. A page shows `size` hosts of those the
// search matches; the search covers every host. Pure.
import type { HostConfig } from "@/lib/model";
import { clampPage } from "@/lib/validation/paging";

export const HOSTS_PAGE_SIZE = 100;
export const BOARD_PAGE_SIZE = 200;
/** A search longer than any name, address or MAC is cut (it came from the address bar). */
export const HOST_QUERY_MAX = 100;

/** ?q= -> the search text (trimmed, at most HOST_QUERY_MAX characters). */
export function hostQuery(raw: string | string[] | undefined): string {
  return (Array.isArray(raw) ? raw[0] ?? "" : raw ?? "").trim().slice(0, HOST_QUERY_MAX);
}

/** Name, address or MAC contains the search (case-insensitive); an empty search matches all. */
export function hostMatches(host: Pick<HostConfig, "name" | "address" | "mac">, q: string): boolean {
  const needle = q.toLowerCase();
  return !needle || host.name.toLowerCase().includes(needle) || host.address.includes(needle) || (host.mac ?? "").toLowerCase().includes(needle);
}

export interface HostPage<T> {
  /** the rows of the page shown */
  rows: T[];
  /** how many match the search (all hosts without one) */
  matching: number;
  page: number;
  pages: number;
  /** index of the first row shown in the matching list (for "201-400 of 10000") */
  first: number;
}

/** The page `asked` (clamped to the last) of the items whose host matches `q`. */
export function pageOfHosts<T>(items: T[], hostOf: (item: T) => Pick<HostConfig, "name" | "address" | "mac">, q: string, asked: number, size: number): HostPage<T> {
  const matched = q ? items.filter((i) => hostMatches(hostOf(i), q)) : items;
  const pages = Math.max(1, Math.ceil(matched.length / size));
  const page = clampPage(asked, pages);
  const first = (page - 1) * size;
  return { rows: matched.slice(first, first + size), matching: matched.length, page, pages, first };
}

/** "Hosts 201-400 of 10000" / "3 of 10000 hosts match" words for the count next to the search box. */
export function hostCountWords(p: HostPage<unknown>, total: number, q: string): string {
  const range = p.pages > 1 ? `${p.first + 1}-${p.first + p.rows.length} of ` : "";
  if (q) return `${range}${p.matching} of ${total} ${total === 1 ? "host" : "hosts"} match`;
  return p.pages > 1 ? `hosts ${range}${total}` : `${total} ${total === 1 ? "host" : "hosts"}`;
}
