// GET /settings/backup/files/<name>: one scheduled copy, as a download. 401 without a session;
// only a name as lib/backup/scheduled.ts writes them (no path of any other file can be asked for).
import fs from "node:fs";
import path from "node:path";
import { withAuth } from "@/lib/auth/guard";
import { BACKUP_FILE, backupDir } from "@/lib/backup/scheduled";

export const dynamic = "force-dynamic";

export const GET = withAuth(async (_actor, _req: Request, ctx: { params: Promise<{ name: string }> }) => {
  const { name } = await ctx.params;
  if (!BACKUP_FILE.test(name)) return new Response("No such backup.\n", { status: 404 });
  let text: string;
  try {
    text = fs.readFileSync(path.join(backupDir(), name), "utf8");
  } catch {
    return new Response("No such backup.\n", { status: 404 });
  }
  return new Response(text, {
    headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
  });
});
