import { defineConfig } from "vitest/config";

// The multi-node test of the distributed mode (issue 16): three nats-server nodes, every service a process.
export default defineConfig({
  test: {
    include: ["test/cluster/**/*.test.ts"],
    pool: "forks",
    testTimeout: 180_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    // As in vitest.config.ts: the stores throw on reentry instead of deadlocking (ADR 0043).
    env: { STRATA_STORE_REENTRY_CHECK: "true" },
  },
});
