// Seed: the classic two-ISP office, validated by the same schemas as every other input.
import { classicOffice } from "@/lib/examples";
import { replaceConfig } from "@/lib/data/config";
import { db } from "@/lib/db";

const r = await replaceConfig(classicOffice);
if (!r.ok) {
  console.error("seed config is invalid:", r.issues);
  process.exit(1);
}
console.log(`Seeded the classic office: ${classicOffice.isps.length} ISPs, ${classicOffice.hosts.length} hosts.`);
await db.$disconnect();
