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
    rules: {
      // a leading underscore marks a value that is unused on purpose (a key dropped by destructuring,
      // a callback's position); a rest sibling drops the keys it names
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    rules: {
      // React Compiler checks (this app is not built with it) that flag deliberate patterns: a ref kept
      // current during render for callbacks that outlive it (board, charts), and state set in an effect
      // from what only the browser knows after hydration (the address, the path, the clock)
      "react-hooks/refs": "off",
      "react-hooks/set-state-in-effect": "off",
    },
  },
  {
    // Playwright's and vitest's fixtures hand the value on with a `use` callback, not React's use()
    files: ["e2e/**", "tests/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    ignores: ["lib/generated/**", ".next/**", "node_modules/**", "test-results/**", "playwright-report/**", "data/**", "next-env.d.ts"],
  },
];

export default config;
