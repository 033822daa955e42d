// ESLint flat config: ESLint's own recommended rules, Next's core-web-vitals rules and
// typescript-eslint's recommended set (eslint-config-next/typescript brings it).
import js from "@eslint/js";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  js.configs.recommended,
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["lib/generated/**", ".next/**", "node_modules/**", "test-results/**", "playwright-report/**", "data/**", "next-env.d.ts"],
  },
];

export default config;
