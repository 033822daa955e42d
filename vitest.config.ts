import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    // kernel tests build namespaces; they must not run side by side
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
