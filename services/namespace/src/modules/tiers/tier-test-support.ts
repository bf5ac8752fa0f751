// Helpers for the tiers module's tests.
import { TEXT_HASH_FEATURE_URI } from "@strata/extractors";
import { mulberry32 } from "@strata/hotindex";
import { type TestData, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { readDocumentVectors } from "../../shared/vectors/read-vectors.js";
import { createCollection } from "../collections/create-collection.js";
import type { CollectionRecord } from "../collections/tables.js";
import { createDocument } from "../documents/create-document.js";
import {
  DOCUMENTS_TABLE,
  type DocumentRecord,
  documentKey,
  type StoredVector,
  type Tier,
} from "../documents/tables.js";
import { moveDocuments } from "./move-documents.js";
import type { MoveResult } from "./move-plan.js";

export const VEC = "strata://clip@v1/image";
export const DIMS = 8;

export interface TierWorld {
  readonly t: TestData;
  readonly collection: CollectionRecord;
  /** Each document's vector as written (float32 precision). */
  readonly vectors: Map<string, number[]>;
  move(ids: readonly string[], to: Tier, over?: { expectedTier?: Tier }): Promise<MoveResult[]>;
  tierOf(id: string): Promise<Tier | undefined>;
  /** The document's vectors as a get with features answers them, from its tier. */
  featuresOf(id: string): Promise<StoredVector[]>;
}

/** A namespace with one collection (cosine, DIMS dimensions, `color` indexed) and `count` documents. */
export async function tierWorld(count: number, seed = 7): Promise<TierWorld> {
  const t = await testData();
  const admin = callerOf(t.organizationId);
  const made = await createCollection(t.ports, admin, t.namespaceId, {
    collectionName: "items",
    description: "",
    features: [
      { featureUri: VEC, dimensions: DIMS, metric: "cosine" },
      { featureUri: TEXT_HASH_FEATURE_URI, dimensions: 512, metric: "cosine" },
    ],
    metadataSchema: undefined,
    indexedFields: ["color"],
  });
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  const random = mulberry32(seed);
  const vectors = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const id = `d${i}`;
    const vector = Array.from(Float32Array.from({ length: DIMS }, () => random() * 2 - 1));
    vectors.set(id, vector);
    const created = await createDocument(t.ports, admin, t.namespaceId, "items", {
      documentId: id,
      taxonomyLabels: [],
      features: { [VEC]: vector },
      metadata: { color: i % 2 === 0 ? "red" : "blue" },
    });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
  }
  const collection = made.value;
  const documents = t.ports.store.table<DocumentRecord>(DOCUMENTS_TABLE);
  return {
    t,
    collection,
    vectors,
    async move(ids, to, over = {}) {
      const moved = await moveDocuments(
        t.ports,
        admin,
        t.namespaceId,
        ids.map((documentId) => ({ collectionId: collection.id, documentId, targetTier: to, ...over })),
        "manual",
      );
      if (!moved.ok) throw new Error(JSON.stringify(moved.error));
      return moved.value;
    },
    async tierOf(id) {
      return (await documents.get(documentKey(collection.id, id)))?.record.tier;
    },
    async featuresOf(id) {
      const found = await documents.get(documentKey(collection.id, id));
      if (found === undefined) throw new Error(`no document ${id}`);
      const read = await readDocumentVectors(t.ports, [found.record]);
      if (!read.ok) throw new Error(read.error.message);
      return read.value[0] ?? [];
    },
  };
}
