import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { callerOf } from "../../shared/test-support.js";
import { createBucket } from "../buckets/create-bucket.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { NAMESPACES_TABLE, type NamespaceRecord } from "../namespaces/tables.js";
import { cloneTestData, createItems } from "./clone-test-support.js";
import { failInterruptedClones } from "./interrupted-clones.js";
import { type CloneRecord, NAMESPACE_CLONES_TABLE } from "./tables.js";

const URI = "strata://test@v1/embedding";
const NOW = "2026-01-01T00:00:00.000Z";

describe("failInterruptedClones", () => {
  it("fails a copy a stop interrupted and removes its reserved namespace, pages, vectors of every tier and bytes", async () => {
    const t = await cloneTestData();
    const admin = callerOf(t.organizationId);
    const made = await createItems(t, 2);
    expect((await createBucket(t.all, admin, t.namespaceId, { bucketName: "b", description: "" })).ok).toBe(
      true,
    );
    const keysBefore = await t.objectKeys();
    // What a copy had written outside the store when its process was killed mid-transaction.
    const cloneId = "ns_interrupted123456789abc";
    await t.all.store.table<NamespaceRecord>(NAMESPACES_TABLE).insert({
      id: cloneId,
      organization_id: t.organizationId,
      namespace_name: "copy",
      description: "",
      created_at: NOW,
      updated_at: NOW,
      clone_status: "cloning",
    });
    const task: CloneRecord = {
      id: "tsk_interrupted123456789ab",
      organization_id: t.organizationId,
      source_namespace_id: t.namespaceId,
      namespace_id: cloneId,
      namespace_name: "copy",
      include_webhooks: false,
      status: "cloning",
      progress: {},
      reason: null,
      created_at: NOW,
      updated_at: NOW,
    };
    await t.all.store.table<CloneRecord>(NAMESPACE_CLONES_TABLE).insert(task);
    const collection: CollectionRecord = {
      ...made,
      id: "col_clone1234567890abcdefg",
      namespace_id: cloneId,
    };
    const staged = await t.all.vectors.stage(collection, "clone-write", [
      {
        documentId: "d0",
        vectors: [{ feature_uri: URI, vector: [1, 2] }],
        payload: {
          document_id: "d0",
          collection_id: collection.id,
          _acl: { owner: null, read: [], write: [], public: false },
          metadata: {},
          taxonomy_terms: [],
          tier: "hot",
          created_at: NOW,
          updated_at: NOW,
        },
      },
    ]);
    expect(staged.ok).toBe(true);
    // Pages it had committed (ADR 0029) and its warm and cold copies.
    await t.all.store.table<CollectionRecord>(COLLECTIONS_TABLE).insert(collection);
    const copy = {
      documentId: "d1",
      vectors: [{ feature_uri: URI, vector: Float32Array.of(3, 4) }],
      payload: {},
    };
    expect((await t.all.tiers.warm.write(collection, [copy])).ok).toBe(true);
    expect((await t.all.tiers.cold.write(collection, [copy])).ok).toBe(true);
    const put = await t.all.objects.put(`${cloneId}/bkt_x/obj_y`, Readable.from([Buffer.from("bytes")]), {
      contentType: "text/plain",
      maxBytes: 100,
    });
    expect(put.ok).toBe(true);

    expect(await failInterruptedClones(t.all)).toBe(1);

    expect(await t.all.store.table(NAMESPACES_TABLE).get(cloneId)).toBeUndefined();
    const ended = await t.all.store.table<CloneRecord>(NAMESPACE_CLONES_TABLE).get(task.id);
    expect(ended?.record.status).toBe("failed");
    expect(ended?.record.reason).toMatch(/stopped during the copy/);
    expect(await t.all.store.table(COLLECTIONS_TABLE).count({ namespace_id: cloneId })).toBe(0);
    const inDoubt = await t.all.vectors.inDoubt();
    expect(inDoubt.ok && inDoubt.value).toEqual([]);
    expect(await t.objectKeys()).toEqual(keysBefore);
    // A second start finds nothing left to fail.
    expect(await failInterruptedClones(t.all)).toBe(0);
  });
});
