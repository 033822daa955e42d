// Setup's last database step: the data directory 0700 and its files 0600 (the database holds
// the password hash); exits non-zero, saying why, where that cannot be made true.
import { secureDataFiles } from "@/lib/data-files";
import { databaseFile, databaseUrl } from "@/lib/db-url";

const r = secureDataFiles(databaseFile(databaseUrl()));
for (const line of [...r.fixed, ...r.warnings]) console.log(line);
if (r.refused) {
  console.error(r.refused);
  process.exit(1);
}
