import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { OUTBOX_TABLE, type OutboxRecord } from "@strata/bus";
import { ok } from "@strata/errors";
import type { AnyEventEnvelope } from "@strata/events";
import { describe, expect, it } from "vitest";
import { type CloneStep, cloneIdOf } from "../../shared/clone-step.js";
import { kindOf } from "../../shared/data-test-support.js";
import { resolveNamespace } from "../../shared/namespace-access.js";
import { callerOf } from "../../shared/test-support.js";
import { createBucket } from "../buckets/create-bucket.js";
import { putObject } from "../buckets/put-object.js";
import { getObject } from "../buckets/read-objects.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { deleteDocument, updateDocument } from "../documents/change-document.js";
import { createDocument } from "../documents/create-document.js";
import { getDocument } from "../documents/read-documents.js";
import { DOCUMENT_LABELS_TABLE, DOCUMENTS_TABLE } from "../documents/tables.js";
import { NAMESPACES_TABLE, type NamespaceRecord } from "../namespaces/tables.js";
import { createTaxonomy } from "../taxonomies/create-taxonomy.js";
import { acceptClone } from "./accept-clone.js";
import { cancelClone, cloneStatus } from "./clone-status.js";
import { cloneTestData, createItems } from "./clone-test-support.js";
import { NAMESPACE_CLONES_TABLE } from "./tables.js";

const URI = "strata://test@v1/embedding";

async function seeded() {
  const t = await cloneTestData();
  const admin = callerOf(t.organizationId);
  const collection = await createItems(t, 3);
  const taxonomy = await createTaxonomy(t.all, admin, t.namespaceId, {
    taxonomyName: "colors",
    description: "",
    nodes: [{ label: "red" }],
  });
  if (!taxonomy.ok) throw new Error(taxonomy.error.message);
  for (let i = 0; i < 5; i++) {
    const made = await createDocument(t.all, admin, t.namespaceId, "items", {
      documentId: `d${i}`,
      metadata: { i },
      features: { [URI]: [1, i + 1, 0.5] },
      taxonomyLabels: i === 0 ? [{ taxonomy_id: taxonomy.value.id, label: "red" }] : [],
      acl: { owner: "alice", read: ["bob"], write: [], public: false },
    });
    if (!made.ok) throw new Error(made.error.message);
  }
  const bucket = await createBucket(t.all, admin, t.namespaceId, { bucketName: "files", description: "" });
  if (!bucket.ok) throw new Error(bucket.error.message);
  const put = await putObject(t.all, admin, t.namespaceId, "files", {
    key: "a.txt",
    contentType: "text/plain",
    expectedSha256: undefined,
    body: Readable.from([Buffer.from("hello")]),
  });
  if (!put.ok) throw new Error(put.error.message);
  return { t, admin, collection, taxonomy: taxonomy.value };
}

async function cloneOf(s: Awaited<ReturnType<typeof seeded>>, name = "copy") {
  const accepted = await acceptClone(s.t.all, s.admin, s.t.namespaceId, {
    namespaceName: name,
    includeWebhooks: false,
  });
  if (!accepted.ok) throw new Error(accepted.error.message);
  return accepted.value;
}

async function clonedCollection(
  s: Awaited<ReturnType<typeof seeded>>,
  namespaceId: string,
): Promise<CollectionRecord> {
  const id = cloneIdOf("collection", { namespaceId, organizationId: s.t.organizationId }, s.collection.id);
  const found = await s.t.all.store.table<CollectionRecord>(COLLECTIONS_TABLE).get(id);
  if (found === undefined) throw new Error("the clone has no collection");
  return found.record;
}

describe("acceptClone", () => {
  it("copies collections, documents with ACL, labels, tier and vectors, taxonomies and objects", async () => {
    const s = await seeded();
    const accepted = await cloneOf(s);
    expect(accepted.task.status).toBe("cloning");
    await s.t.all.cloneRuns.settled();
    const status = await cloneStatus(s.t.all, s.admin, accepted.namespace.id);
    expect(status.ok && status.value.status).toBe("ready");
    expect(status.ok && status.value.progress).toMatchObject({
      collections: 1,
      documents: 5,
      hot_vectors: 5,
      taxonomies: 1,
      buckets: 1,
      objects: 1,
      bytes: 5,
    });
    const cloneId = accepted.namespace.id;
    const doc = await getDocument(s.t.all, s.admin, cloneId, "items", "d0");
    expect(doc.ok).toBe(true);
    if (!doc.ok) return;
    expect(doc.value._acl).toEqual({ owner: "alice", read: ["bob"], write: [], public: false });
    expect(doc.value.tier).toBe("hot");
    expect(doc.value.metadata).toEqual({ i: 0 });
    const taxonomyId = cloneIdOf(
      "taxonomy",
      { namespaceId: cloneId, organizationId: s.t.organizationId },
      s.taxonomy.id,
    );
    expect(doc.value.taxonomy_labels).toEqual([{ taxonomy_id: taxonomyId, label: "red" }]);
    expect(await s.t.all.store.table(DOCUMENT_LABELS_TABLE).count({ namespace_id: cloneId })).toBe(1);
    const vectors = await s.t.all.vectors.read(await clonedCollection(s, cloneId), "d3", [URI]);
    expect(vectors.ok && vectors.value[0]?.vector.map((v) => Math.round(v * 100) / 100)).toEqual([1, 4, 0.5]);
    const object = await getObject(s.t.all, s.admin, cloneId, "files", "a.txt");
    expect(object.ok && (await text(object.value.body))).toBe("hello");
    const events = (await outboxEvents(s)).filter((e) => e.type === "namespace.cloned");
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        namespace_id: cloneId,
        source_namespace_id: s.t.namespaceId,
        task_id: accepted.task.id,
      }),
    ]);
  });

  it("holds the source as it was when accepted while the source takes writes during the copy", async () => {
    const s = await seeded();
    const accepted = await cloneOf(s);
    // Sent after the answer: none of these may reach the clone.
    const writes = await Promise.all([
      updateDocument(s.t.all, s.admin, s.t.namespaceId, "items", "d1", {
        metadata: { i: 100 },
        features: { [URI]: [9, 9, 9] },
      }),
      deleteDocument(s.t.all, s.admin, s.t.namespaceId, "items", "d2"),
      createDocument(s.t.all, s.admin, s.t.namespaceId, "items", {
        documentId: "late",
        features: { [URI]: [1, 1, 1] },
        taxonomyLabels: [],
      }),
    ]);
    expect(writes.map((w) => w.ok)).toEqual([true, true, true]);
    await s.t.all.cloneRuns.settled();
    const cloneId = accepted.namespace.id;
    const d1 = await getDocument(s.t.all, s.admin, cloneId, "items", "d1");
    expect(d1.ok && d1.value.metadata).toEqual({ i: 1 });
    const vectors = await s.t.all.vectors.read(await clonedCollection(s, cloneId), "d1", [URI]);
    expect(vectors.ok && vectors.value[0]?.vector.map((v) => Math.round(v * 100) / 100)).toEqual([1, 2, 0.5]);
    expect((await getDocument(s.t.all, s.admin, cloneId, "items", "d2")).ok).toBe(true);
    expect(kindOf(await getDocument(s.t.all, s.admin, cloneId, "items", "late"))).toBe("not_found");
  });

  it("refuses a taken name (409), another organization's source (404) and a full quota (403)", async () => {
    const s = await seeded();
    const taken = await acceptClone(s.t.all, s.admin, s.t.namespaceId, {
      namespaceName: "other",
      includeWebhooks: false,
    });
    expect(kindOf(taken)).toBe("already_exists");
    const stranger = await acceptClone(s.t.all, callerOf("org_stranger1234567890abcd"), s.t.namespaceId, {
      namespaceName: "mine",
      includeWebhooks: false,
    });
    expect(kindOf(stranger)).toBe("not_found");
    const full = await cloneTestData(2);
    const refused = await acceptClone(full.all, callerOf(full.organizationId), full.namespaceId, {
      namespaceName: "third",
      includeWebhooks: false,
    });
    expect(kindOf(refused)).toBe("forbidden");
    expect(refused.ok ? undefined : refused.error.details).toMatchObject({ quota: 2 });
    expect(await full.all.store.table(NAMESPACES_TABLE).count({ organization_id: full.organizationId })).toBe(
      2,
    );
  });

  it("answers 409 for a clone that is not ready", async () => {
    const s = await seeded();
    await s.t.all.store.table<NamespaceRecord>(NAMESPACES_TABLE).insert({
      id: "ns_reserved1234567890abcdef",
      organization_id: s.t.organizationId,
      namespace_name: "pending",
      description: "",
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-01T00:00:00.000Z",
      clone_status: "cloning",
    });
    const resolved = await resolveNamespace(s.t.all.store, s.admin, "pending");
    expect(kindOf(resolved)).toBe("conflict");
    expect(resolved.ok ? "" : resolved.error.message).toMatch(/still being cloned/);
  });

  it("a failing copy removes everything it wrote: no records, vectors or object bytes of the clone", async () => {
    const s = await seeded();
    const keysBefore = await s.t.objectKeys();
    // A step after every module's: the copy has committed pages, vectors and bytes when it fails.
    const steps = s.t.all.cloneSteps as CloneStep[];
    steps.push(async () =>
      ok(async () => {
        throw new Error("disk on fire");
      }),
    );
    const accepted = await cloneOf(s);
    await s.t.all.cloneRuns.settled();
    const cloneId = accepted.namespace.id;
    const status = await cloneStatus(s.t.all, s.admin, cloneId);
    expect(status.ok && [status.value.status, status.value.reason]).toEqual(["failed", "disk on fire"]);
    await expectNoTrace(s, cloneId, keysBefore);
    // The name is free again.
    steps.pop();
    const again = await cloneOf(s);
    await s.t.all.cloneRuns.settled();
    expect((await getDocument(s.t.all, s.admin, again.namespace.id, "items", "d4")).ok).toBe(true);
  });

  it("a cancelled copy ends cancelled and leaves nothing", async () => {
    const s = await seeded();
    const keysBefore = await s.t.objectKeys();
    const accepted = await cloneOf(s);
    const cancelled = await cancelClone(s.t.all, s.admin, accepted.namespace.id);
    expect(cancelled.ok && cancelled.value.status).toBe("cancelled");
    await s.t.all.cloneRuns.settled();
    const status = await cloneStatus(s.t.all, s.admin, accepted.namespace.id);
    // A cancel that came after the commit finds the clone ready; either way nothing is half-made.
    if (status.ok && status.value.status === "ready") return;
    expect(status.ok && status.value.status).toBe("cancelled");
    await expectNoTrace(s, accepted.namespace.id, keysBefore);
  });
});

async function expectNoTrace(s: Awaited<ReturnType<typeof seeded>>, cloneId: string, keysBefore: string[]) {
  const store = s.t.all.store;
  expect(await store.table(NAMESPACES_TABLE).get(cloneId)).toBeUndefined();
  for (const table of [
    COLLECTIONS_TABLE,
    DOCUMENTS_TABLE,
    DOCUMENT_LABELS_TABLE,
    "taxonomies",
    "buckets",
    "bucket_objects",
  ])
    expect(await store.table(table).count({ namespace_id: cloneId }), table).toBe(0);
  expect(await store.table(NAMESPACE_CLONES_TABLE).count({ namespace_id: cloneId, status: "cloning" })).toBe(
    0,
  );
  expect(await s.t.objectKeys()).toEqual(keysBefore);
  const staged = await s.t.all.vectors.inDoubt();
  expect(staged.ok && staged.value).toEqual([]);
}

/** The events the copy appended (the SQLite store's outbox). */
async function outboxEvents(s: Awaited<ReturnType<typeof seeded>>): Promise<AnyEventEnvelope[]> {
  const rows = await s.t.all.store
    .table<OutboxRecord>(OUTBOX_TABLE)
    .find({ orderBy: [{ field: "seq", direction: "asc" }] });
  return rows.map((row) => JSON.parse(row.record.envelope) as AnyEventEnvelope);
}
