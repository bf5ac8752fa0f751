import { ok } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import { describe, expect, it } from "vitest";
import { updateDocument } from "./change-document.js";
import { settleStagedVectors } from "./settle-staged-vectors.js";
import {
  crashBeforeSettling,
  put,
  rig,
  sample,
  searchIds,
  URI,
  vectorsOf,
} from "./staged-write-test-support.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey } from "./tables.js";

/**
 * ADR 0013 on the real stores (see staged-write-test-support.ts): a "crash" is a vectors port that drops
 * the commit or abort of a staged write, then a hot index opened again on the same directory and
 * the start-up settlement.
 */
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

  it("has a reader of a committed document wait for the vectors its record names", async () => {
    const r = await rig();
    let letCommit: () => void = () => undefined;
    const commitHeld = new Promise<void>((resolve) => {
      letCommit = resolve;
    });
    const ports = await r.ports((vectors) => ({
      ...vectors,
      // The transaction commits, then the commit of the staged vectors waits (a busy log's fsync).
      async stage(collection, writeId, entries) {
        const staged = await vectors.stage(collection, writeId, entries);
        if (!staged.ok) return staged;
        return ok({
          commit: async (ids: readonly string[]) => {
            await commitHeld;
            return staged.value.commit(ids);
          },
          abort: () => staged.value.abort(),
        });
      },
    }));
    const creating = put(ports, r, "doc_read_early", 1, [0, 1, 0]);
    const documents = r.store.table<DocumentRecord>(DOCUMENTS_TABLE);
    while ((await documents.get(documentKey(r.collection.id, "doc_read_early"))) === undefined)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const reading = vectorsOf(ports, r, "doc_read_early");
    const early = await Promise.race([
      reading,
      new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), 200)),
    ]);
    expect(early).toBe("waiting");
    letCommit();
    expect(await reading).toEqual([[0, 1, 0]]);
    expect((await creating).ok).toBe(true);
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
