// Helpers for this package's tests of clones; not exported from index.ts.
import { openFsObjectStore } from "@strata/objectstore";
import { tempDir } from "@strata/testkit";
import { onTestFinished } from "vitest";
import { bucketObjects } from "../../adapters/objectstore/bucket-objects.js";
import { type ModuleAdapters, moduleCloneCleanUps, moduleCloneSteps } from "../../modules.js";
import type { CloneCleanUp, CloneStep } from "../../shared/clone-step.js";
import { type TestData, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { createCollection } from "../collections/create-collection.js";
import type { CollectionRecord } from "../collections/tables.js";
import { CloneRuns } from "./clone-runs.js";

/** The data test ports completed into every module's ports, with the modules' clone steps. */
export function withClonePorts(
  base: Omit<
    ModuleAdapters,
    "cloneSteps" | "cloneCleanUps" | "cloneRuns" | "maxNamespacesPerOrganization" | "cloneHoldFile"
  >,
  maxNamespacesPerOrganization = 100,
): ModuleAdapters {
  const cloneSteps: CloneStep[] = [];
  const cloneCleanUps: CloneCleanUp[] = [];
  const ports: ModuleAdapters = {
    ...base,
    cloneSteps,
    cloneCleanUps,
    cloneRuns: new CloneRuns(),
    maxNamespacesPerOrganization,
    cloneHoldFile: undefined,
  };
  cloneSteps.push(...moduleCloneSteps(ports));
  cloneCleanUps.push(...moduleCloneCleanUps(ports));
  return ports;
}

export interface CloneTestData extends TestData {
  readonly all: ModuleAdapters;
  /** Every key in the object store (to look for orphans). */
  objectKeys(): Promise<string[]>;
}

/** Real SQLite, the real embedded hot index and a filesystem object store, each the test's own. */
export async function cloneTestData(maxNamespacesPerOrganization = 100): Promise<CloneTestData> {
  const t = await testData({ sqlite: true });
  const dir = await tempDir("clone-objects");
  const store = await openFsObjectStore({ root: dir.path });
  onTestFinished(async () => {
    await store.close();
    await dir.remove();
  });
  const all = withClonePorts(
    {
      ...t.ports,
      objects: bucketObjects(store),
      maxObjectBytes: 1024 * 1024,
      enqueueChunks: async () => undefined,
    },
    maxNamespacesPerOrganization,
  );
  const objectKeys = async (): Promise<string[]> => {
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.list("", { limit: 1000, ...(cursor === null ? {} : { cursor }) });
      keys.push(...page.items.map((i) => i.key));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return keys;
  };
  return { ...t, all, objectKeys };
}

export const TEST_FEATURE_URI = "strata://test@v1/embedding";

/** The collection "items" of the test's first namespace, with one feature of `dimensions`. */
export async function createItems(t: CloneTestData, dimensions: number): Promise<CollectionRecord> {
  const made = await createCollection(t.all, callerOf(t.organizationId), t.namespaceId, {
    collectionName: "items",
    description: "",
    features: [{ featureUri: TEST_FEATURE_URI, dimensions, metric: "cosine" }],
    metadataSchema: undefined,
    indexedFields: [],
  });
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
}
