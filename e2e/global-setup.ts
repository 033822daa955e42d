// A fresh lab for every run (the fresh database is made by the web server's start: e2e/web-server.ts).
import { labDown, labUp } from "../lib/lab/lab";
import { classicOffice } from "../lib/examples";
import { e2eEnv } from "../playwright.config";

export default async function globalSetup() {
  await labDown(e2eEnv.SWITCHYARD_LAB_PREFIX);
  await labUp(classicOffice, { prefix: e2eEnv.SWITCHYARD_LAB_PREFIX });
}
