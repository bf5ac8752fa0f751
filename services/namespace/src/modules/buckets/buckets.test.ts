import { newId } from "@strata/ids";
import { afterEach, describe, expect, it } from "vitest";
import { issuesOf, kindOf } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { type BucketTestData, bucketTestData, chunked } from "./bucket-test-support.js";
import { createBucket, createBuckets } from "./create-bucket.js";
import { deleteBucket } from "./delete-bucket.js";
import { putObject } from "./put-object.js";
import { getBucket, listBuckets } from "./read-buckets.js";
import { listObjects } from "./read-objects.js";

let t: BucketTestData;
afterEach(async () => {
  await t?.close();
});

describe("buckets", () => {
  it("creates, finds by id or name, lists, and refuses duplicates and id-like names", async () => {
    t = await bucketTestData();
    const admin = callerOf(t.organizationId);
    const created = await createBucket(t.ports, admin, t.namespaceId, {
      bucketName: "media",
      description: "d",
    });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.id).toMatch(/^bkt_/);
    expect(
      kindOf(await createBucket(t.ports, admin, t.namespaceId, { bucketName: "media", description: "" })),
    ).toBe("already_exists");
    // The same name in another namespace is another bucket.
    expect(
      (await createBucket(t.ports, admin, t.otherNamespaceId, { bucketName: "media", description: "" })).ok,
    ).toBe(true);
    expect(
      issuesOf(await createBucket(t.ports, admin, t.namespaceId, { bucketName: "bkt_x", description: "" })),
    ).toEqual(["body.bucket_name: invalid_format"]);
    expect(
      issuesOf(await createBucket(t.ports, admin, t.namespaceId, { bucketName: "", description: "" })),
    ).toEqual(["body.bucket_name: missing"]);
    const byName = await getBucket(t.ports, admin, t.namespaceId, "media");
    expect(byName.ok ? byName.value.id : undefined).toBe(created.value.id);
    const listed = await listBuckets(t.ports, admin, t.namespaceId, { limit: 10, cursor: undefined });
    expect(listed.ok ? listed.value.buckets.map((b) => b.bucket_name) : []).toEqual(["media"]);
  });

  it("creates many in one call, each answering on its own: a bad or taken one leaves the others", async () => {
    t = await bucketTestData();
    const admin = callerOf(t.organizationId);
    const first = await createBucket(t.ports, admin, t.namespaceId, { bucketName: "taken", description: "" });
    if (!first.ok) throw new Error(first.error.message);
    const created = await createBuckets(t.ports, admin, t.namespaceId, [
      { bucketName: "a", description: "" },
      { bucketName: "taken", description: "" },
      { bucketName: "bkt_x", description: "" },
      { bucketName: "a", description: "again" },
      { bucketName: "b", description: "second" },
    ]);
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.map((result) => (result.ok ? result.value.bucket_name : result.error.kind))).toEqual(
      ["a", "already_exists", "validation", "already_exists", "b"],
    );
    const listed = await listBuckets(t.ports, admin, t.namespaceId, { limit: 10, cursor: undefined });
    expect(listed.ok ? listed.value.buckets.map((b) => b.bucket_name).sort() : []).toEqual([
      "a",
      "b",
      "taken",
    ]);
    const reader = callerOf(t.organizationId, { permissions: ["read"] });
    expect(
      kindOf(await createBuckets(t.ports, reader, t.namespaceId, [{ bucketName: "c", description: "" }])),
    ).toBe("forbidden");
    expect(
      kindOf(
        await createBuckets(t.ports, callerOf(newId("organization")), t.namespaceId, [
          { bucketName: "c", description: "" },
        ]),
      ),
    ).toBe("not_found");
  });

  it("answers another namespace's or organization's bucket exactly like a missing one", async () => {
    t = await bucketTestData();
    const admin = callerOf(t.organizationId);
    const created = await createBucket(t.ports, admin, t.namespaceId, {
      bucketName: "media",
      description: "",
    });
    if (!created.ok) throw new Error(created.error.message);
    const missing = await getBucket(t.ports, admin, t.namespaceId, newId("bucket"));
    const foreignNamespace = await getBucket(t.ports, admin, t.otherNamespaceId, created.value.id);
    const foreignOrg = await getBucket(
      t.ports,
      callerOf(newId("organization")),
      t.namespaceId,
      created.value.id,
    );
    const restricted = await getBucket(
      t.ports,
      callerOf(t.organizationId, { namespaces: [t.otherNamespaceId] }),
      t.namespaceId,
      created.value.id,
    );
    for (const answer of [missing, foreignNamespace, foreignOrg, restricted])
      expect(kindOf(answer)).toBe("not_found");
    expect(foreignNamespace.ok ? undefined : foreignNamespace.error.message).toBe(
      missing.ok ? undefined : missing.error.message,
    );
  });

  it("needs write to create or delete and read to look", async () => {
    t = await bucketTestData();
    const reader = callerOf(t.organizationId, { permissions: ["read"] });
    expect(
      kindOf(await createBucket(t.ports, reader, t.namespaceId, { bucketName: "b", description: "" })),
    ).toBe("forbidden");
    expect(kindOf(await deleteBucket(t.ports, reader, t.namespaceId, "b"))).toBe("forbidden");
    expect(kindOf(await getBucket(t.ports, reader, t.namespaceId, "b"))).toBe("not_found");
  });

  it("deletes a bucket with its object records and bytes, and frees its name", async () => {
    t = await bucketTestData();
    const admin = callerOf(t.organizationId);
    const created = await createBucket(t.ports, admin, t.namespaceId, {
      bucketName: "media",
      description: "",
    });
    if (!created.ok) throw new Error(created.error.message);
    for (const key of ["a.txt", "b/c.txt"]) {
      const put = await putObject(t.ports, admin, t.namespaceId, "media", {
        key,
        contentType: "text/plain",
        expectedSha256: undefined,
        body: chunked(Buffer.from(key)),
      });
      expect(put.ok).toBe(true);
    }
    expect(await t.storedFiles()).toHaveLength(2);
    const deleted = await deleteBucket(t.ports, admin, t.namespaceId, "media");
    expect(deleted.ok ? deleted.value.bucket_name : undefined).toBe("media");
    expect(kindOf(await getBucket(t.ports, admin, t.namespaceId, created.value.id))).toBe("not_found");
    expect(
      kindOf(
        await listObjects(t.ports, admin, t.namespaceId, created.value.id, {
          prefix: "",
          limit: 10,
          cursor: undefined,
        }),
      ),
    ).toBe("not_found");
    expect(await t.storedFiles()).toEqual([]);
    expect(
      (await createBucket(t.ports, admin, t.namespaceId, { bucketName: "media", description: "" })).ok,
    ).toBe(true);
  });
});
