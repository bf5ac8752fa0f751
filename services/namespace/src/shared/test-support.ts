// Helpers for this package's tests only; not exported from index.ts.
import { createTestCaller, createTestRuntime, type TestRuntime } from "@strata/service-kit/testing";
import type { NamespacePorts } from "../modules/namespaces/ports.js";
import { NAMESPACE_TABLE_SPECS } from "../modules/namespaces/tables.js";

export interface TestNamespaces extends TestRuntime {
  readonly ports: NamespacePorts;
}

export function testNamespaces(): Promise<TestNamespaces> {
  return createTestRuntime(NAMESPACE_TABLE_SPECS);
}

export const callerOf = createTestCaller;
