// ESLint: typed rules, and the one import direction adapters → runtime → translators.
import tseslint from "typescript-eslint";

const forbid = (dirs, why) => ({
  patterns: dirs.map((d) => ({ group: [`**/${d}/**`, `../${d}/*`, `../../${d}/*`, `../../../${d}/*`], message: why })),
});

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "bench/results/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    files: ["translators/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", forbid(["runtime", "adapters"], "translators/ is pure: it imports neither runtime/ nor adapters/")],
      "no-restricted-globals": ["error", { name: "setTimeout", message: "time is injected (STYLE.md 6)" }],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "randomness is injected (STYLE.md 6)" },
        { object: "Date", property: "now", message: "the clock is injected (STYLE.md 6)" },
      ],
    },
  },
  {
    files: ["runtime/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", forbid(["adapters"], "runtime/ does not import adapters/")] },
  },
);
