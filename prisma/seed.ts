// Seed: the classic two-ISP office, validated by the same schemas as every other input.
import { classicOffice } from "@/lib/examples";
import { replaceConfig } from "@/lib/data/config";
import { db } from "@/lib/db";
import { createUser, hasAnyUser } from "@/lib/auth/users";

const r = await replaceConfig(classicOffice);
if (!r.ok) {
  console.error("seed config is invalid:", r.issues);
  process.exit(1);
}
console.log(`Seeded the classic office: ${classicOffice.isps.length} ISPs, ${classicOffice.hosts.length} hosts.`);
// The first admin can come from setup (SWITCHYARD_ADMIN_PASSWORD); otherwise the app asks on first visit.
const password = process.env.SWITCHYARD_ADMIN_PASSWORD;
if (password && !(await hasAnyUser())) {
  await createUser("admin", password);
  console.log("Created the admin account (user: admin).");
}
await db.$disconnect();
