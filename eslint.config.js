// ESLint: typed rules, and the one import direction adapters → runtime → translators.
import tseslint from "typescript-eslint";

const layer = (d, why) => ({ group: [`**/${d}/**`, `../${d}/*`, `../../${d}/*`, `../../../${d}/*`], message: why });
/** The NATS client lives behind the ports, in the jetstream-* implementation files (tests may use it). */
const NATS = { group: ["@nats-io/*"], message: "only jetstream-*.ts files import the NATS client (ARCHITECTURE.md)" };
const forbid = (dirs, why, extra = [NATS]) => ({ patterns: [...dirs.map((d) => layer(d, why)), ...extra] });

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
  {
    files: ["runtime/**/jetstream-*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", forbid(["adapters"], "runtime/ does not import adapters/", [])] },
  },
  {
    files: ["adapters/**/*.ts", "*.ts"],
    ignores: ["**/*.test.ts", "**/jetstream-*.ts"],
    rules: { "no-restricted-imports": ["error", forbid([], "", [NATS])] },
  },
);
