import { afterEach, describe, expect, it } from "vitest";
import { issuesOf, kindOf } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { type BucketTestData, bucketTestData, chunked } from "./bucket-test-support.js";
import { createBucket } from "./create-bucket.js";
import { putObject } from "./put-object.js";
import { getBucket } from "./read-buckets.js";
import { listObjects } from "./read-objects.js";
import { updateBucket } from "./update-bucket.js";

let t: BucketTestData;
afterEach(async () => {
  await t?.close();
});

describe("updating a bucket", () => {
  it("changes the description in place, keeping the id and every object", async () => {
    t = await bucketTestData();
    const admin = callerOf(t.organizationId);
    const created = await createBucket(t.ports, admin, t.namespaceId, {
      bucketName: "media",
      description: "old",
    });
    if (!created.ok) throw new Error(created.error.message);
    const put = await putObject(t.ports, admin, t.namespaceId, "media", {
      key: "a.txt",
      contentType: "text/plain",
      expectedSha256: undefined,
      body: chunked(Buffer.from("a")),
    });
    expect(put.ok).toBe(true);
    const updated = await updateBucket(t.ports, admin, t.namespaceId, "media", { description: "new" });
    expect(updated.ok && updated.value.description).toBe("new");
    const found = await getBucket(t.ports, admin, t.namespaceId, created.value.id);
    expect(found.ok && found.value.description).toBe("new");
    const objects = await listObjects(t.ports, admin, t.namespaceId, "media", {
      prefix: "",
      limit: 10,
      cursor: undefined,
    });
    expect(objects.ok && objects.value.objects.map((o) => o.key)).toEqual(["a.txt"]);
    const kept = await updateBucket(t.ports, admin, t.namespaceId, "media", {});
    expect(kept.ok && kept.value.description).toBe("new");
  });

  it("refuses a long description, a reader, and another namespace's bucket (as absent)", async () => {
    t = await bucketTestData();
    const admin = callerOf(t.organizationId);
    const created = await createBucket(t.ports, admin, t.namespaceId, {
      bucketName: "media",
      description: "",
    });
    if (!created.ok) throw new Error(created.error.message);
    const long = await updateBucket(t.ports, admin, t.namespaceId, "media", {
      description: "x".repeat(5000),
    });
    expect(issuesOf(long)).toHaveLength(1);
    const reader = callerOf(t.organizationId, { permissions: ["read"] });
    expect(kindOf(await updateBucket(t.ports, reader, t.namespaceId, "media", { description: "r" }))).toBe(
      "forbidden",
    );
    expect(
      kindOf(await updateBucket(t.ports, admin, t.otherNamespaceId, created.value.id, { description: "o" })),
    ).toBe("not_found");
  });
});
