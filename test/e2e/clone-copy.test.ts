import { rm, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CloneFixture,
  type CloneStatus,
  type Execution,
  expectStatus,
  ITEMS,
  OBJECTS,
  SOURCE,
} from "./clone-fixture.js";
import { expectErrorBody } from "./harness.js";

// A clone copies every part of its source and then goes its own way; while it runs, every
// request naming it is a 409 and it can be cancelled (clone-fixture.ts holds it running).

let f: CloneFixture;

beforeAll(async () => {
  f = await CloneFixture.start();
  await f.seed();
}, 300_000);

afterAll(async () => {
  await f?.stop();
});

describe("namespace clones through the gateway: the copy", () => {
  it("copies collections, documents, vectors, taxonomies and objects; the clone answers the same searches", async () => {
    const accepted = await f.startClone("clone-branch");
    expect(accepted).toMatchObject({
      namespace: { namespace_name: "clone-branch", description: "src" },
      status: "cloning",
    });
    expect(accepted.task_id).toMatch(/^tsk_/);
    const source = await f.call<{ namespace_id: string }>("GET", `/v1/namespaces/${SOURCE}`);
    expect(accepted.source_namespace_id).toBe(source.body.namespace_id);
    const cloneId = accepted.namespace.namespace_id;
    expect(cloneId).not.toBe(source.body.namespace_id);

    const ready = await f.waitForClone(cloneId, (s) => s.status !== "cloning");
    const bytes = Object.values(OBJECTS).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    expect(ready).toEqual({
      task_id: accepted.task_id,
      namespace_id: cloneId,
      source_namespace_id: source.body.namespace_id,
      status: "ready",
      progress: expect.objectContaining({
        collections: 1,
        documents: ITEMS.length,
        hot_vectors: ITEMS.length,
        taxonomies: 1,
        buckets: 1,
        objects: Object.keys(OBJECTS).length,
        bytes,
      }),
      reason: null,
    });

    // Reachable by name now, like any namespace.
    const byName = await f.call<{ namespace_id: string }>("GET", "/v1/namespaces/clone-branch");
    expectStatus(byName, 200);
    expect(byName.body.namespace_id).toBe(cloneId);

    const docs = await f.call<{
      data: Array<{ document_id: string; metadata: unknown; namespace_id: string }>;
    }>("GET", "/v1/collections/items/documents?limit=100", cloneId);
    expectStatus(docs, 200);
    expect(docs.body.data.map((d) => d.document_id).sort()).toEqual(ITEMS.map(([id]) => id).sort());
    expect(docs.body.data.every((d) => d.namespace_id === cloneId)).toBe(true);
    const taxonomy = await f.call<{ nodes: unknown[] }>("GET", "/v1/taxonomies/genres", cloneId);
    expectStatus(taxonomy, 200);
    expect(taxonomy.body.nodes).toEqual([
      { label: "music", parent: null },
      { label: "jazz", parent: "music" },
    ]);
    for (const [key, text] of Object.entries(OBJECTS))
      expect(await f.download(cloneId, key)).toEqual({ status: 200, text });

    const inSource = await f.search(SOURCE, "probe");
    const inClone = await f.search(cloneId, "probe");
    expect(inSource.map((r) => r.document_id)).toEqual(["near", "close", "mid", "far"]);
    expect(inClone.map((r) => [r.document_id, r.metadata])).toEqual(
      inSource.map((r) => [r.document_id, r.metadata]),
    );
    for (const [i, r] of inClone.entries()) expect(r.score).toBeCloseTo(inSource[i]?.score ?? Number.NaN, 5);

    // Writes on either side never show on the other.
    await f.changeSource();
    expectStatus(await f.call("DELETE", "/v1/collections/items/documents/near", cloneId), 200);
    expectStatus(
      await f.call("PATCH", "/v1/collections/items/documents/mid", cloneId, { metadata: { category: "z" } }),
      200,
    );
    await f.upload(cloneId, "clone-only.txt", "only in the clone");

    expectStatus(await f.call("GET", "/v1/collections/items/documents/source-only", cloneId), 404);
    const near = await f.call("GET", "/v1/collections/items/documents/near", SOURCE);
    expectStatus(near, 200);
    const mid = await f.call<{ metadata: Record<string, unknown> }>(
      "GET",
      "/v1/collections/items/documents/mid",
      SOURCE,
    );
    expect(mid.body.metadata).toEqual({ category: "a" });
    expect((await f.download(SOURCE, "clone-only.txt")).status).toBe(404);
    expectStatus(await f.call("GET", "/v1/taxonomies/genres", cloneId), 200);
    const sourceAfter = await f.call<Execution>("POST", "/v1/retrievers/probe/execute", SOURCE, {
      query: { vector: [1, 0, 0] },
    });
    const cloneAfter = await f.call<Execution>("POST", "/v1/retrievers/probe/execute", cloneId, {
      query: { vector: [1, 0, 0] },
    });
    expect(sourceAfter.body.results.map((r) => r.document_id)).toEqual([
      "near",
      "source-only",
      "close",
      "mid",
      "far",
    ]);
    expect(cloneAfter.body.results.map((r) => r.document_id)).toEqual(["close", "mid", "far"]);
  }, 90_000);

  it("answers 409 to every request naming a running clone, shows its progress, and cancels it leaving nothing", async () => {
    await writeFile(f.holdFile, "");
    let cloneId = "";
    try {
      const accepted = await f.startClone("held-branch");
      cloneId = accepted.namespace.namespace_id;
      // The hold is the copy's last step: once every count is in, the copy is waiting on the file.
      const running = await f.waitForClone(
        cloneId,
        (s) => s.progress.objects === Object.keys(OBJECTS).length,
      );
      expect(running).toMatchObject({ status: "cloning", reason: null, task_id: accepted.task_id });
      // The source as the first test left it: one document more, its taxonomy deleted.
      expect(running.progress).toMatchObject({
        collections: 1,
        documents: ITEMS.length + 1,
        taxonomies: 0,
        buckets: 1,
      });

      // The namespace service's own routes, and routes served by acl-query, webhooks and manifests.
      for (const answer of [
        await f.call("GET", `/v1/namespaces/${cloneId}`),
        await f.call("GET", "/v1/namespaces/held-branch"),
        await f.call("GET", "/v1/collections", cloneId),
        await f.call("GET", "/v1/collections/items/documents", "held-branch"),
        await f.call("GET", "/v1/buckets", cloneId),
        await f.call("GET", "/v1/retrievers", cloneId),
        await f.call("GET", "/v1/webhooks", cloneId),
        await f.call("GET", "/v1/manifest/export", cloneId),
      ]) {
        const { message, details } = expectErrorBody(answer, 409, "ConflictError");
        expect(message).toBe("Namespace held-branch is still being cloned; poll its clone-status");
        expect(details).toMatchObject({ namespace_id: cloneId, clone_status: "cloning" });
      }

      const cancelled = await f.call<CloneStatus>("POST", `/v1/namespaces/${cloneId}/clone/cancel`);
      expectStatus(cancelled, 200);
      expect(cancelled.body.status).toBe("cancelled");
    } finally {
      await rm(f.holdFile, { force: true });
    }
    // Rolled back and cleaned up: the task says why, the namespace and its name are gone.
    const ended = await f.waitForClone(cloneId, (s) => s.reason !== null);
    expect(ended).toMatchObject({ status: "cancelled", reason: "Cancelled on request" });
    expectErrorBody(await f.call("GET", `/v1/namespaces/${cloneId}`), 404, "NotFoundError");
    expectErrorBody(await f.call("GET", "/v1/namespaces/held-branch"), 404, "NotFoundError");
    expectErrorBody(await f.call("GET", "/v1/collections", cloneId), 404, "NotFoundError");

    // The name is free again; a clone that is ready cannot be cancelled.
    const again = await f.startClone("held-branch");
    const ready = await f.waitForClone(again.namespace.namespace_id, (s) => s.status !== "cloning");
    expect(ready.status).toBe("ready");
    const late = expectErrorBody(
      await f.call("POST", `/v1/namespaces/${again.namespace.namespace_id}/clone/cancel`),
      409,
      "ConflictError",
    );
    expect(late.message).toContain("is ready already");
  }, 90_000);
});
