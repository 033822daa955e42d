// First run: creating the admin needs a one-time token that only someone with access to the
// machine can read (the server log, or the file beside the database, mode 0600), as Jupyter
// does. server.mjs makes it at start; the setup page makes one if the server did not.
//
// The file is only believed when this process made it: created exclusively (O_EXCL, no
// symlink followed), so a file someone else planted first (in a database directory others can
// write) is never adopted, however it looks. One that is there already is used only when it is
// a plain file owned by this process's user, with no access for anyone else; otherwise it is
// refused: the log and the setup page say why, and no token matches until it is removed.
import { randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import { databaseFile, databaseUrl } from "@/lib/db-url";

export const setupTokenFile = () => `${databaseFile(databaseUrl())}.setup-token`;

/** Why the token file cannot be trusted, or null when it can (or does not exist). */
export function setupTokenRefusal(file = setupTokenFile()): string | null {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return null;
  }
  const uid = process.getuid?.();
  const why: string[] = [];
  if (!st.isFile()) why.push(st.isSymbolicLink() ? "it is a symbolic link" : "it is not a plain file");
  else {
    if (uid !== undefined && st.uid !== uid) why.push(`it is owned by uid ${st.uid}, not by the server's user (uid ${uid})`);
    if (st.mode & 0o077) why.push(`its mode is ${(st.mode & 0o777).toString(8).padStart(4, "0")}, not 0600`);
    if (st.nlink > 1) why.push("it has other hard links");
  }
  return why.length
    ? `The setup token file ${file} was not made by this server (${why.join("; ")}). Someone else may know its token: delete the file and restart the server, which makes a new one.`
    : null;
}

const read = () => {
  if (setupTokenRefusal()) return "";
  try {
    return fs.readFileSync(setupTokenFile(), "utf8").trim();
  } catch {
    return "";
  }
};

const warned = new Set<string>();

/**
 * The token, made (and printed to the server log) if there is none yet; `announce` prints an
 * existing one too (the server at start). Returns why the file there is refused, or null.
 */
export function ensureSetupToken(announce = false): string | null {
  const file = setupTokenFile();
  const refusal = setupTokenRefusal(file);
  if (refusal) {
    // said once per process: every visit to /setup comes here, and visitors must not fill the log
    if (!warned.has(refusal)) console.error(`Switchyard: ${refusal}`);
    warned.add(refusal);
    return refusal;
  }
  let token = read();
  if (token && !announce) return null;
  if (!token) {
    token = randomBytes(18).toString("base64url");
    try {
      // O_EXCL | O_NOFOLLOW: ours, new, or nothing (an empty file of ours is replaced)
      if (fs.existsSync(file)) fs.rmSync(file);
      const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
      try {
        fs.fchmodSync(fd, 0o600); // whatever the umask
        fs.writeSync(fd, `${token}\n`);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      // another process made it between our look and our create: that one is checked again next time
      const why = `The setup token file ${file} could not be created: ${e instanceof Error ? e.message : e}`;
      console.error(`Switchyard: ${why}`);
      return why;
    }
  }
  console.log(`First run: create the admin account at /setup with this one-time token:\n    ${token}\n  (also in ${file})`);
  return null;
}

export function setupTokenMatches(given: unknown): boolean {
  const expected = Buffer.from(read());
  const got = Buffer.from(typeof given === "string" ? given.trim() : "");
  return expected.length > 0 && got.length === expected.length && timingSafeEqual(got, expected);
}

/** Used once: gone with the first admin. */
export function consumeSetupToken(): void {
  if (!setupTokenRefusal()) fs.rmSync(setupTokenFile(), { force: true });
}
