import { defineConfig } from "@playwright/test";

const PORT = 3100;
// The e2e app runs on its own database and its own lab (namespaces e2e-*), never the dev ones.
const env = {
  HOST: "127.0.0.1",
  PORT: String(PORT),
  SWITCHYARD_ADMIN_PASSWORD: "e2e-admin-password",
  DATABASE_URL: "file:data/e2e.db",
  SWITCHYARD_TARGET: "lab",
  SWITCHYARD_LAB_PREFIX: "e2e",
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
  // the netfilter backend the lab gateway runs: scripts/test.sh runs the suite once with each
  SWITCHYARD_FIREWALL: process.env.SWITCHYARD_FIREWALL ?? "nftables",
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  webServer: {
    // the database is made before the server starts (Playwright runs globalSetup after the webServer)
    command: `node node_modules/tsx/dist/cli.mjs e2e/web-server.ts`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env,
  },
});

export { env as e2eEnv };
