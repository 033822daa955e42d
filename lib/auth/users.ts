import { db } from "@/lib/db";
import { hashPassword, passwordSchema, usernameSchema } from "./password";

export const hasAnyUser = async () => (await db.user.count()) > 0;

export async function createUser(username: string, password: string) {
  usernameSchema.parse(username);
  passwordSchema.parse(password);
  return db.user.create({ data: { username, passwordHash: await hashPassword(password) } });
}

export async function setPassword(userId: number, password: string) {
  passwordSchema.parse(password);
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(password), passwordChangedAt: new Date() } });
}

let firstUser: Promise<unknown> = Promise.resolve();
/** The first admin, or null when one exists already: the check and the insert are one step. */
export function createFirstUser(username: string, password: string) {
  const run = firstUser.then(async () => ((await hasAnyUser()) ? null : createUser(username, password)));
  firstUser = run.catch(() => undefined);
  return run;
}
