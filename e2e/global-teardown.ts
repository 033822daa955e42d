import { labDown } from "../lib/lab/lab";
import { e2eEnv } from "../playwright.config";

export default async function globalTeardown() {
  await labDown(e2eEnv.SWITCHYARD_LAB_PREFIX);
}
