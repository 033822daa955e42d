// ESLint flat config: Next's core-web-vitals rules plus typescript-eslint's recommended
// (eslint-config-next/typescript brings typescript-eslint's recommended set).
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["lib/generated/**", ".next/**", "node_modules/**", "test-results/**", "playwright-report/**", "data/**", "next-env.d.ts"],
  },
];

export default config;
