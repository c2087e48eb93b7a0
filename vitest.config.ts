import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{translators,runtime,adapters,test,examples}/**/*.test.ts"],
    pool: "threads",
    testTimeout: 20_000,
  },
});
