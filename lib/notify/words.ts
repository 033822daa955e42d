// Clock times in messages (durations: lib/health/words.ts `duration`, the same on every screen).
/** "14:03:07 UTC": messages are read elsewhere, so the zone is said. */
export const clockUtc = (at: number) => `${new Date(at).toISOString().slice(11, 19)} UTC`;
