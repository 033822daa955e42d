// Durations and clock times in messages: "3 min 12 s", "1 h 5 min".
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "14:03:07 UTC": messages are read elsewhere, so the zone is said. */
export const clockUtc = (at: number) => `${new Date(at).toISOString().slice(11, 19)} UTC`;
