// Setup's database step: seed the classic office into a database that has no ISPs yet
// (never overwrite a real config), and create the admin from SWITCHYARD_ADMIN_PASSWORD
// when there is no account yet.
import { db } from "@/lib/db";
import { classicOffice } from "@/lib/examples";
import { replaceConfig } from "@/lib/data/config";
import { createUser, hasAnyUser } from "@/lib/auth/users";

if ((await db.isp.count()) === 0) {
  // a fresh install proves its work by real packets: the canary is on
  const r = await replaceConfig({ ...classicOffice, settings: { ...classicOffice.settings, canary: { enabled: true } } });
  if (!r.ok) throw new Error(`the seed configuration is invalid: ${JSON.stringify(r.issues)}`);
  console.log("Seeded the classic two-ISP office.");
} else console.log("Database already configured; not seeding.");

const password = process.env.SWITCHYARD_ADMIN_PASSWORD;
if (password && !(await hasAnyUser())) {
  await createUser("admin", password);
  console.log("Created the admin account (user: admin).");
} else if (!(await hasAnyUser())) console.log("No admin account yet: the first visit from this machine asks for its password.");
await db.$disconnect();
