import { join } from "node:path";
import { createOutboxAppender, OUTBOX_TABLE_SPEC } from "@strata/bus";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { ok } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import { openEmbeddedHotIndex } from "@strata/hotindex";
import { newId } from "@strata/ids";
import { tempDir } from "@strata/testkit";
import { onTestFinished } from "vitest";
import { hotIndexVectors } from "../../adapters/hot-index/hot-index-vectors.js";
import { MODULE_TABLE_SPECS } from "../../modules.js";
import type { TestDataPorts } from "../../shared/data-test-support.js";
import { MetadataValidators } from "../../shared/metadata-validators.js";
import { callerOf } from "../../shared/test-support.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";
import { readDocumentVectors } from "../../shared/vectors/read-vectors.js";
import { createCollection } from "../collections/create-collection.js";
import type { CollectionRecord } from "../collections/tables.js";
import { createNamespace } from "../namespaces/create-namespace.js";
import { createDocument } from "./create-document.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey } from "./tables.js";

// Helpers for the tests of ADR 0013 on the real stores: a SQLite DocStore and the embedded hot
// index, each in a temp directory. A "crash" is a vectors port that drops the commit or abort of a
// staged write, then a hot index opened again on the same directory and the start-up settlement.

export const URI = "strata://test@v1/embedding";

export interface Rig {
  readonly store: DocStore;
  readonly indexDir: string;
  readonly caller: ReturnType<typeof callerOf>;
  readonly namespaceId: string;
  readonly collection: CollectionRecord;
  /** Ports over a hot index opened on the rig's directory, its vectors port wrapped by `wrap`. */
  ports(wrap?: (vectors: DocumentVectors) => DocumentVectors): Promise<TestDataPorts>;
}

export async function rig(): Promise<Rig> {
  const dir = await tempDir("staged-vectors");
  const store = openSqliteDocStore({ path: join(dir.path, "namespace.sqlite") });
  for (const spec of [...MODULE_TABLE_SPECS, OUTBOX_TABLE_SPEC]) await store.ensureTable(spec);
  const indexDir = join(dir.path, "hot-index");
  const open: DocumentVectors[] = [];
  onTestFinished(async () => {
    for (const v of open) await v.close();
    await store.close();
    await dir.remove();
  });
  const ports = async (wrap: (vectors: DocumentVectors) => DocumentVectors = (v) => v) => {
    // One index owns the directory at a time: opening again is the restart after a crash.
    for (const v of open.splice(0)) await v.close();
    const vectors = hotIndexVectors(await openEmbeddedHotIndex({ dir: indexDir }));
    open.push(vectors);
    return {
      store,
      appendEvent: createOutboxAppender(),
      eventsCommitted: () => undefined,
      clock: () => new Date(),
      metadataValidators: new MetadataValidators(),
      vectors: wrap(vectors),
    } satisfies TestDataPorts;
  };
  const first = await ports();
  const organizationId = newId("organization");
  const caller = callerOf(organizationId);
  const ns = await createNamespace(first, caller, { namespaceName: "main", description: "" });
  if (!ns.ok) throw new Error(ns.error.message);
  const made = await createCollection(first, caller, ns.value.id, {
    collectionName: "items",
    description: "",
    features: [{ featureUri: URI, dimensions: 3, metric: "cosine" }],
    metadataSchema: undefined,
    indexedFields: ["n"],
  });
  if (!made.ok) throw new Error(made.error.message);
  return { store, indexDir, caller, namespaceId: ns.value.id, collection: made.value, ports };
}

/** Creates a document with metadata `{n}` and one vector. */
export const put = (ports: TestDataPorts, r: Rig, documentId: string, n: number, vector: number[]) =>
  createDocument(ports, r.caller, r.namespaceId, r.collection.id, {
    documentId,
    metadata: { n },
    features: { [URI]: vector },
    taxonomyLabels: [],
  });

/** A vectors port whose staged writes are never committed nor aborted: the process died first. */
export const crashBeforeSettling = (vectors: DocumentVectors): DocumentVectors => ({
  ...vectors,
  async stage(collection, writeId, entries) {
    const staged = await vectors.stage(collection, writeId, entries);
    if (!staged.ok) return staged;
    return ok({ commit: async () => ok(undefined), abort: async () => ok(undefined) });
  },
});

export async function vectorsOf(ports: TestDataPorts, r: Rig, documentId: string): Promise<number[][]> {
  const found = await r.store
    .table<DocumentRecord>(DOCUMENTS_TABLE)
    .get(documentKey(r.collection.id, documentId));
  const record = found?.record ?? { ...sample(r, documentId), feature_uris: [URI] };
  const read = await readDocumentVectors(ports, [record]);
  if (!read.ok) throw new Error(read.error.message);
  return (read.value[0] ?? []).map((v) => v.vector.map((x) => Math.round(x * 1000) / 1000));
}

/** Enough of a record to ask the index for a document the store does not hold. */
export function sample(r: Rig, documentId: string) {
  return {
    id: documentKey(r.collection.id, documentId),
    document_id: documentId,
    collection_id: r.collection.id,
    namespace_id: r.namespaceId,
    organization_id: r.collection.organization_id,
    metadata: {},
    feature_uris: [],
    text: null,
    taxonomy_labels: [],
    taxonomy_ids: [],
    taxonomy_terms: [],
    _acl: { owner: null, read: [], write: [], public: true },
    tier: "hot" as const,
    tier_changed_at: "",
    lineage: {},
    created_at: "",
    updated_at: "",
  };
}

export async function searchIds(
  ports: TestDataPorts,
  r: Rig,
  vector: number[],
  filter?: BoundFilterNode,
): Promise<string[]> {
  const feature = r.collection.features[0];
  if (feature === undefined) throw new Error("no feature");
  const hits = await ports.vectors.search({
    namespaceId: r.namespaceId,
    collectionIds: [r.collection.id],
    feature,
    vector,
    k: 10,
    ...(filter === undefined ? {} : { filter }),
  });
  if (!hits.ok) throw new Error(hits.error.message);
  return hits.value.map((h) => h.documentId);
}
