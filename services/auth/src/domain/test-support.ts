// Helpers for this package's tests only; not exported from index.ts.
import { createTestCaller, createTestRuntime, type TestRuntime } from "@strata/service-kit/testing";
import type { AuthPorts } from "./ports.js";
import { AUTH_TABLE_SPECS } from "./tables.js";

export interface TestAuth extends TestRuntime {
  readonly ports: AuthPorts;
}

export function testAuth(): Promise<TestAuth> {
  return createTestRuntime(AUTH_TABLE_SPECS);
}

export const adminCaller = createTestCaller;
