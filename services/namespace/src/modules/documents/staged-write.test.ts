import { join } from "node:path";
import { createOutboxAppender, OUTBOX_TABLE_SPEC } from "@strata/bus";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { ok } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import { openEmbeddedHotIndex } from "@strata/hotindex";
import { newId } from "@strata/ids";
import { tempDir } from "@strata/testkit";
import { describe, expect, it, onTestFinished } from "vitest";
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
import { updateDocument } from "./change-document.js";
import { createDocument } from "./create-document.js";
import { settleStagedVectors } from "./settle-staged-vectors.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey } from "./tables.js";

/**
 * ADR 0013 on the real stores: a SQLite DocStore and the embedded hot index, each in a temp
 * directory. A "crash" is a vectors port that drops the commit or abort of a staged write, then a
 * hot index opened again on the same directory and the start-up settlement.
 */
const URI = "strata://test@v1/embedding";

interface Rig {
  readonly store: DocStore;
  readonly indexDir: string;
  readonly caller: ReturnType<typeof callerOf>;
  readonly namespaceId: string;
  readonly collection: CollectionRecord;
  /** Ports over a hot index opened on the rig's directory, its vectors port wrapped by `wrap`. */
  ports(wrap?: (vectors: DocumentVectors) => DocumentVectors): Promise<TestDataPorts>;
}

async function rig(): Promise<Rig> {
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
const put = (ports: TestDataPorts, r: Rig, documentId: string, n: number, vector: number[]) =>
  createDocument(ports, r.caller, r.namespaceId, r.collection.id, {
    documentId,
    metadata: { n },
    features: { [URI]: vector },
    taxonomyLabels: [],
  });

/** A vectors port whose staged writes are never committed nor aborted: the process died first. */
const crashBeforeSettling = (vectors: DocumentVectors): DocumentVectors => ({
  ...vectors,
  async stage(collection, writeId, entries) {
    const staged = await vectors.stage(collection, writeId, entries);
    if (!staged.ok) return staged;
    return ok({ commit: async () => ok(undefined), abort: async () => ok(undefined) });
  },
});

async function vectorsOf(ports: TestDataPorts, r: Rig, documentId: string): Promise<number[][]> {
  const found = await r.store
    .table<DocumentRecord>(DOCUMENTS_TABLE)
    .get(documentKey(r.collection.id, documentId));
  const record = found?.record ?? { ...sample(r, documentId), feature_uris: [URI] };
  const read = await readDocumentVectors(ports, [record]);
  if (!read.ok) throw new Error(read.error.message);
  return (read.value[0] ?? []).map((v) => v.vector.map((x) => Math.round(x * 1000) / 1000));
}

/** Enough of a record to ask the index for a document the store does not hold. */
function sample(r: Rig, documentId: string) {
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

async function searchIds(
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

describe("vectors staged outside the store transaction (ADR 0013)", () => {
  it("lets readers of the SQLite store through while the vectors' write is still being made durable", async () => {
    const r = await rig();
    let stagingStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      stagingStarted = resolve;
    });
    let finishFsync: () => void = () => undefined;
    const fsync = new Promise<void>((resolve) => {
      finishFsync = resolve;
    });
    const ports = await r.ports((vectors) => ({
      ...vectors,
      // The write is held open, as a slow fsync would hold it, until the test lets it finish.
      async stage(collection, writeId, entries) {
        const staged = vectors.stage(collection, writeId, entries);
        stagingStarted();
        await fsync;
        return staged;
      },
    }));
    const creating = put(ports, r, "doc_slow", 1, [1, 0, 0]);
    await started;
    const timeout = new Promise<"blocked">((resolve) => setTimeout(() => resolve("blocked"), 2000));
    const read = r.store.table<DocumentRecord>(DOCUMENTS_TABLE).count();
    const readInTransaction = r.store.transaction(async (tx) =>
      ok(await tx.table<DocumentRecord>(DOCUMENTS_TABLE).count()),
    );
    expect(await Promise.race([read, timeout])).toBe(0);
    expect(await Promise.race([readInTransaction, timeout])).toEqual(ok(0));
    finishFsync();
    const created = await creating;
    expect(created.ok).toBe(true);
    expect(await vectorsOf(ports, r, "doc_slow")).toEqual([[1, 0, 0]]);
  });

  it("gives a committed document whose vectors were never confirmed its vectors at the next start", async () => {
    const r = await rig();
    const crashing = await r.ports(crashBeforeSettling);
    const created = await put(crashing, r, "doc_kept", 1, [0, 1, 0]);
    expect(created.ok).toBe(true);
    // Committed in the store, still staged in the index: not searchable yet.
    expect(await searchIds(crashing, r, [0, 1, 0])).toEqual([]);

    const restarted = await r.ports();
    expect(await settleStagedVectors(restarted)).toEqual(ok({ kept: 1, dropped: 0 }));
    expect(await vectorsOf(restarted, r, "doc_kept")).toEqual([[0, 1, 0]]);
    expect(await searchIds(restarted, r, [0, 1, 0])).toEqual(["doc_kept"]);
    // Settled once: the next start finds nothing in doubt.
    expect(await settleStagedVectors(await r.ports())).toEqual(ok({ kept: 0, dropped: 0 }));
  });

  it("drops at the next start the vectors of a document whose transaction rolled back, even when another write took its id", async () => {
    const r = await rig();
    const crashing = await r.ports((vectors) => {
      const dying = crashBeforeSettling(vectors);
      return {
        ...dying,
        async stage(collection, writeId, entries) {
          const staged = await dying.stage(collection, writeId, entries);
          // Meanwhile another writer takes the id (a record without vectors), so the insert fails.
          const rival = { ...sample(r, "doc_taken"), metadata: { n: 2 } };
          await r.store.table<DocumentRecord>(DOCUMENTS_TABLE).insert(rival);
          return staged;
        },
      };
    });
    const created = await put(crashing, r, "doc_taken", 1, [0, 0, 1]);
    expect(created.ok ? "created" : created.error.kind).toBe("already_exists");

    const restarted = await r.ports();
    // The record under that id is the rival's, at version 1 as the rolled-back one would have been.
    const stored = await r.store
      .table<DocumentRecord>(DOCUMENTS_TABLE)
      .get(documentKey(r.collection.id, "doc_taken"));
    expect([stored?.version, stored?.record.metadata]).toEqual([1, { n: 2 }]);
    expect(await settleStagedVectors(restarted)).toEqual(ok({ kept: 0, dropped: 1 }));
    expect(await vectorsOf(restarted, r, "doc_taken")).toEqual([]);
    expect(await searchIds(restarted, r, [0, 0, 1])).toEqual([]);
  });

  it("drops a staged write that a later write of the same document replaced before the crash", async () => {
    const r = await rig();
    const ports = await r.ports();
    const created = await put(ports, r, "doc_twice", 1, [1, 1, 0]);
    expect(created.ok).toBe(true);
    const crashing = await r.ports(crashBeforeSettling);
    for (const [n, vector] of [
      [2, [0, 1, 1]],
      [3, [1, 0, 1]],
    ] as const) {
      const updated = await updateDocument(crashing, r.caller, r.namespaceId, r.collection.id, "doc_twice", {
        metadata: { n },
        features: { [URI]: [...vector] },
      });
      expect(updated.ok).toBe(true);
    }
    const restarted = await r.ports();
    expect(await settleStagedVectors(restarted)).toEqual(ok({ kept: 1, dropped: 1 }));
    expect(await vectorsOf(restarted, r, "doc_twice")).toEqual([[1, 0, 1]]);
  });

  it("ends quick successive updates of one document with the vectors of the version the store holds", async () => {
    const r = await rig();
    const ports = await r.ports();
    const created = await put(ports, r, "doc_busy", 0, [1, 0, 0]);
    expect(created.ok).toBe(true);
    const update = (n: number, features?: number[]) =>
      updateDocument(ports, r.caller, r.namespaceId, r.collection.id, "doc_busy", {
        metadata: { n },
        ...(features === undefined ? {} : { features: { [URI]: features } }),
      });
    // Metadata-only updates keep the vectors the version before them had: each must see the new
    // vector once the update that set it committed, never the one before.
    const first = await Promise.all([update(1, [1, 2, 0]), update(2), update(3)]);
    expect(first.every((u) => u.ok)).toBe(true);
    expect(await vectorsOf(ports, r, "doc_busy")).toEqual([[1, 2, 0]]);
    const second = await Promise.all([4, 5, 6, 7, 8, 9].map((n) => update(n, [1, n, 0])));
    expect(second.every((u) => u.ok)).toBe(true);
    const stored = await r.store
      .table<DocumentRecord>(DOCUMENTS_TABLE)
      .get(documentKey(r.collection.id, "doc_busy"));
    expect(stored?.version).toBe(10);
    const n = Number(stored?.record.metadata.n);
    expect(await vectorsOf(ports, r, "doc_busy")).toEqual([[1, n, 0]]);
    // The index's copy of the filter fields is the last version's too.
    const filter: BoundFilterNode = { kind: "condition", field: "metadata.n", operator: "eq", value: n };
    expect(await searchIds(ports, r, [1, n, 0], filter)).toEqual(["doc_busy"]);
  });
});
