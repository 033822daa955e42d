// GET /settings/backup/download: the staged configuration as `switchyard config export` writes
// it, as a file to keep. 401 without a session (withAuth; server.mjs sends a page request to the login).
import { withAuth } from "@/lib/auth/guard";
import { exportConfigFile } from "@/lib/data/config-file";
import { fileText } from "@/lib/backup/restore";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return new Response(fileText(await exportConfigFile()), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="switchyard-config-${stamp}.json"`,
      "cache-control": "no-store",
    },
  });
});
