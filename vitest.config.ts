import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  // "server-only" throws outside a React server build: in tests it is the empty module
  resolve: { alias: { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") } },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    // the lab's apply hooks, registered as the product's entry points do (tests/setup.ts)
    setupFiles: ["tests/setup.ts"],
    // the backend "auto" picks in every test (and in the processes they start): iptables unless
    // the run names one; scripts/test.sh runs the kernel tests once more with nftables
    env: { SWITCHYARD_FIREWALL: process.env.SWITCHYARD_FIREWALL ?? "iptables" },
    // kernel tests build namespaces; they must not run side by side
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
