// Seed the classic office into a database that has no ISPs yet; never overwrite a real config.
import { db } from "@/lib/db";

if ((await db.isp.count()) === 0) await import("../prisma/seed");
else console.log("Database already configured; not seeding.");
await db.$disconnect();
