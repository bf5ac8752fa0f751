// Helpers for this package's tests of clones; not exported from index.ts.
import { openObjectColdStore } from "@strata/coldstore";
import { openFsObjectStore } from "@strata/objectstore";
import { tempDir } from "@strata/testkit";
import { openEmbeddedWarmIndex } from "@strata/warmindex";
import { onTestFinished } from "vitest";
import { bucketObjects } from "../../adapters/objectstore/bucket-objects.js";
import { coldTierStore } from "../../adapters/tiers/cold-tier-store.js";
import { indexTierStore } from "../../adapters/tiers/index-tier-store.js";
import { type ModuleAdapters, moduleCloneCleanUps, moduleCloneSteps } from "../../modules.js";
import type { CloneCleanUp, CloneStep } from "../../shared/clone-step.js";
import { type TestData, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";
import type { TierStores } from "../../shared/vectors/tier-vectors.js";
import { tieredVectors } from "../../shared/vectors/tiered-vectors.js";
import { createCollection } from "../collections/create-collection.js";
import type { CollectionRecord } from "../collections/tables.js";
import { createDocument } from "../documents/create-document.js";
import { CloneRuns } from "./clone-runs.js";

/** The data test ports completed into every module's ports, with the modules' clone steps. */
export function withClonePorts(
  base: Omit<
    ModuleAdapters,
    "cloneSteps" | "cloneCleanUps" | "cloneRuns" | "maxNamespacesPerOrganization" | "beforeCloneCommit"
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
    beforeCloneCommit: undefined,
  };
  cloneSteps.push(...moduleCloneSteps(ports));
  cloneCleanUps.push(...moduleCloneCleanUps(ports));
  return ports;
}

export interface CloneTestData extends TestData {
  readonly all: ModuleAdapters;
  /** Every key in the object store: bucket bytes, warm segments and cold objects (to look for orphans). */
  objectKeys(): Promise<string[]>;
}

/**
 * Real SQLite, the real embedded hot index, and a filesystem object store holding the buckets' bytes
 * and the embedded warm and cold tiers, each the test's own.
 */
export async function cloneTestData(maxNamespacesPerOrganization = 100): Promise<CloneTestData> {
  const t = await testData({ sqlite: true });
  const dir = await tempDir("clone-objects");
  const store = await openFsObjectStore({ root: dir.path });
  onTestFinished(async () => {
    await store.close();
    await dir.remove();
  });
  // The warm and cold tiers on the same object store as the buckets, so one listing sees them all.
  const warm = openEmbeddedWarmIndex({ store, prefix: "tiers/warm" });
  onTestFinished(() => warm.close());
  const tiers: TierStores = {
    hot: t.ports.tiers.hot,
    warm: indexTierStore("warm", warm, (metric) => warm.supportsMetric(metric)),
    cold: coldTierStore(openObjectColdStore({ store, prefix: "tiers/cold" })),
  };
  const all = withClonePorts(
    {
      ...t.ports,
      tiers,
      // testData built the whole hot DocumentVectors; its ports type only names what modules take.
      vectors: tieredVectors(t.ports.vectors as DocumentVectors, tiers),
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

/**
 * Documents d0 … d<count-1> in the namespace's "items", each with the vector `vectorOf(i)`; written
 * 50 at a time (the hot index commits concurrent writes together).
 */
export async function createDocuments(
  t: CloneTestData,
  namespaceId: string,
  count: number,
  vectorOf: (i: number) => number[],
): Promise<void> {
  const admin = callerOf(t.organizationId);
  const create = async (i: number) => {
    const made = await createDocument(t.all, admin, namespaceId, "items", {
      documentId: `d${i}`,
      metadata: { i },
      features: { [TEST_FEATURE_URI]: vectorOf(i) },
      taxonomyLabels: [],
    });
    if (!made.ok) throw new Error(made.error.message);
  };
  for (let start = 0; start < count; start += 50)
    await Promise.all(Array.from({ length: Math.min(50, count - start) }, (_, k) => create(start + k)));
}
