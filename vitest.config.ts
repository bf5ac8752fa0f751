import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["libs/*/src/**/*.test.ts", "services/*/src/**/*.test.ts", "test/**/*.test.ts"],
    // The multi-node cluster test runs on its own (npm run test:cluster): it is not reliable yet.
    exclude: ["**/node_modules/**", "test/cluster/**"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start their own nats-server and gRPC servers; two cores cannot take many at once.
    maxWorkers: 2,
    // Every embedded store a test opens, in the test process or in a platform it spawns, throws on
    // reentry instead of deadlocking; production leaves the check off (ADR 0043).
    env: { STRATA_STORE_REENTRY_CHECK: "true" },
  },
});
