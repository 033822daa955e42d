"use client";
// Times relative to now ("12 s ago") and in the reader's time zone ("10:32:05"), rendered only
// once the page runs in the browser. The server's clock and zone are not the reader's: a card
// that said "12 s ago" in the server's HTML and "13 s ago" at hydration was React error #418 on
// the dashboard. Server HTML and hydration both render the <time> without text (getServerSnapshot
// is null); the text follows at once, then every few seconds.
import { useSyncExternalStore } from "react";
import { ago, clock } from "@/lib/health/words";

const TICK_MS = 5000;
let now = 0;
let timer: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The browser's clock (refreshed every few seconds); null on the server and during hydration. */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => now || (now = Date.now()),
    () => null,
  );
}

/** "12 s ago" (after `before`, e.g. ", "), nothing until the page has hydrated. */
export function Ago({ iso, before = "" }: { iso: string | null | undefined; before?: string }) {
  const t = useNow();
  if (!iso) return null;
  return <time dateTime={iso}>{t === null ? "" : `${before}${ago(t - Date.parse(iso))}`}</time>;
}

/** "10:32:05" in the reader's time zone, nothing until the page has hydrated. */
export function Clock({ iso }: { iso: string }) {
  const t = useNow();
  return <time dateTime={iso}>{t === null ? "" : clock(iso)}</time>;
}
