import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createOutboxAppender, OUTBOX_TABLE_SPEC } from "@strata/bus";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { openEmbeddedHotIndex } from "@strata/hotindex";
import { newId } from "@strata/ids";
import { openFsObjectStore } from "@strata/objectstore";
import { createTestCaller } from "@strata/service-kit/testing";
import {
  hotIndexVectors,
  hotTierStore,
} from "../../services/namespace/src/adapters/hot-index/hot-index-vectors.js";
import { type OpenedTiers, openTiers } from "../../services/namespace/src/adapters/tiers/open-tiers.js";
import { createCollection } from "../../services/namespace/src/modules/collections/create-collection.js";
import type { CollectionRecord } from "../../services/namespace/src/modules/collections/tables.js";
import {
  type DocumentRecord,
  documentKey,
  type Tier,
} from "../../services/namespace/src/modules/documents/tables.js";
import { workSlots } from "../../services/namespace/src/modules/tiers/work-slots.js";
import { MODULE_TABLE_SPECS, type ModuleAdapters } from "../../services/namespace/src/modules.js";
import { MetadataValidators } from "../../services/namespace/src/shared/metadata-validators.js";
import { tieredVectors } from "../../services/namespace/src/shared/vectors/tiered-vectors.js";

// What clone.bench.ts and tiering.bench.ts both set up: the namespace service's store, hot index,
// warm and cold tiers and the ports its use cases take, in process, in embedded mode.

export const BENCH_FEATURE = "strata://bench@v1/embedding";

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The machine line every bench prints first: cores and load, so figures can be judged. */
export function printMachine(): void {
  console.log(
    `machine: ${cpus().length} cores, load ${loadavg()
      .map((l) => round(l, 2))
      .join(" ")}`,
  );
}

/** The ports the documents, collections, search and tier use cases take. */
export type TierBenchPorts = Pick<
  ModuleAdapters,
  | "store"
  | "appendEvent"
  | "eventsCommitted"
  | "clock"
  | "metadataValidators"
  | "vectors"
  | "tiers"
  | "recordAccess"
  | "moveSlots"
>;

export interface NamespaceBench {
  readonly store: DocStore;
  readonly index: Awaited<ReturnType<typeof openEmbeddedHotIndex>>;
  readonly objects: Awaited<ReturnType<typeof openFsObjectStore>>;
  readonly opened: OpenedTiers;
  readonly ports: TierBenchPorts;
  readonly caller: ReturnType<typeof createTestCaller>;
}

/** Opens the namespace service's stores under `dir` (namespace.db, hot/, objects/) and its ports. */
export async function openNamespaceBench(dir: string, moveSlots: number): Promise<NamespaceBench> {
  const store = openSqliteDocStore({ path: join(dir, "namespace.db") });
  for (const spec of [...MODULE_TABLE_SPECS, OUTBOX_TABLE_SPEC]) await store.ensureTable(spec);
  const index = await openEmbeddedHotIndex({ dir: join(dir, "hot") });
  const objects = await openFsObjectStore({ root: join(dir, "objects") });
  const opened = openTiers(
    hotTierStore(index),
    { kind: "embedded", prefix: "tiers/warm" },
    objects,
    "tiers/cold",
  );
  const ports: TierBenchPorts = {
    store,
    appendEvent: createOutboxAppender(),
    eventsCommitted: () => undefined,
    clock: () => new Date(),
    metadataValidators: new MetadataValidators(),
    vectors: tieredVectors(hotIndexVectors(index), opened.tiers),
    tiers: opened.tiers,
    recordAccess: { reads: () => undefined, hits: () => undefined },
    moveSlots: workSlots(moveSlots),
  };
  return { store, index, objects, opened, ports, caller: createTestCaller(newId("organization")) };
}

/** The "items" collection of `namespaceId`: one BENCH_FEATURE of `dimensions`, cosine. */
export async function createBenchCollection(
  bench: NamespaceBench,
  namespaceId: string,
  dimensions: number,
): Promise<CollectionRecord> {
  const made = await createCollection(bench.ports, bench.caller, namespaceId, {
    collectionName: "items",
    description: "",
    features: [{ featureUri: BENCH_FEATURE, dimensions, metric: "cosine" }],
    metadataSchema: undefined,
    indexedFields: [],
  });
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
}

/** A document's record as the documents module writes it, written straight into the store. */
export function benchDocumentRecord(options: {
  readonly collection: CollectionRecord;
  readonly organizationId: string;
  readonly documentId: string;
  readonly metadata: DocumentRecord["metadata"];
  readonly tier: Exclude<Tier, "archive">;
  readonly at: string;
}): DocumentRecord {
  const { collection, documentId, at } = options;
  return {
    id: documentKey(collection.id, documentId),
    document_id: documentId,
    collection_id: collection.id,
    namespace_id: collection.namespace_id,
    organization_id: options.organizationId,
    metadata: options.metadata,
    feature_uris: [BENCH_FEATURE],
    text: null,
    taxonomy_labels: [],
    taxonomy_ids: [],
    taxonomy_terms: [],
    _acl: { owner: null, read: [], write: [], public: false },
    tier: options.tier,
    tier_changed_at: at,
    lineage: {},
    created_at: at,
    updated_at: at,
  };
}
