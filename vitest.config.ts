import { defineConfig } from "vitest/config";

// Two projects: the model's own tests (fast, anywhere) and the oracle corpus
// (test/kernel: real kernel in isolated namespaces; skipped without root,
// failing instead when KUBETWIN_REQUIRE_KERNEL=1).
export default defineConfig({
  test: {
    reporters: ["default", "./test/support/plain-summary.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/unit/**/*.test.ts", "test/e2e/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "kernel",
          include: ["test/kernel/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
