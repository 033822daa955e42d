// First run: creating the admin needs a one-time token that only someone with access to the
// machine can read (the server log, or the file beside the database, mode 0600), as Jupyter
// does. server.mjs prints it at start; the setup page makes one if the server did not.
import { randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import { databaseFile, databaseUrl } from "@/lib/db-url";

export const setupTokenFile = () => `${databaseFile(databaseUrl())}.setup-token`;

const read = () => {
  try {
    return fs.readFileSync(setupTokenFile(), "utf8").trim();
  } catch {
    return "";
  }
};

/** The token, made (and printed to the server log) if there is none yet. */
export function ensureSetupToken(): void {
  if (read()) return;
  const token = randomBytes(18).toString("base64url");
  fs.writeFileSync(setupTokenFile(), `${token}\n`, { mode: 0o600 });
  console.log(`First run: create the admin account at /setup with this one-time token:\n    ${token}\n  (also in ${setupTokenFile()})`);
}

export function setupTokenMatches(given: unknown): boolean {
  const expected = Buffer.from(read());
  const got = Buffer.from(typeof given === "string" ? given.trim() : "");
  return expected.length > 0 && got.length === expected.length && timingSafeEqual(got, expected);
}

/** Used once: gone with the first admin. */
export function consumeSetupToken(): void {
  fs.rmSync(setupTokenFile(), { force: true });
}
