import { join } from "node:path";
import type { ObjectStore } from "@strata/objectstore";
import { openFsObjectStore } from "@strata/objectstore";
import { tempDir } from "@strata/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { openEmbeddedWarmIndex } from "./embedded-warm-index.js";

const base = await tempDir("strata-warmindex-embedded");
afterAll(() => base.remove());

/** The fs ObjectStore, counting the reads that reach it. */
async function countingStore(name: string): Promise<{ store: ObjectStore; gets: () => number }> {
  const inner = await openFsObjectStore({ root: join(base.path, name) });
  let gets = 0;
  const store: ObjectStore = {
    ...inner,
    put: (...a) => inner.put(...a),
    get: (key) => {
      gets++;
      return inner.get(key);
    },
    head: (k) => inner.head(k),
    list: (p, o) => inner.list(p, o),
    copy: (a, b) => inner.copy(a, b),
    delete: (k) => inner.delete(k),
    deletePrefix: (p) => inner.deletePrefix(p),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return { store, gets: () => gets };
}

const space = {
  namespaceId: "ns_embedded",
  featureUri: "strata://t@v1/e",
  dimensions: 8,
  metric: "cosine" as const,
};
const records = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `d${from + i}`,
    collectionId: "c",
    vector: Array.from({ length: 8 }, (_, d) => Math.sin(from + i + d)),
    payload: { i: from + i },
  }));

describe("embedded warm index", () => {
  it("writes one segment object per upsert call, not one per vector", async () => {
    const { store } = await countingStore("segments");
    const index = openEmbeddedWarmIndex({ store });
    expect((await index.upsert(space, records(0, 500))).ok).toBe(true);
    const page = await store.list("warm/segments/", { limit: 100 });
    expect(page.items.length).toBe(1);
    await index.close();
  });

  it("searches from the segment cache: no ObjectStore read on a hit, reads again when the budget is tiny", async () => {
    const cached = await countingStore("cache");
    const index = openEmbeddedWarmIndex({ store: cached.store });
    for (let b = 0; b < 4; b++) expect((await index.upsert(space, records(b * 100, 100))).ok).toBe(true);
    await index.close();

    const warm = openEmbeddedWarmIndex({ store: cached.store });
    expect((await warm.search(space, { vector: records(3, 1)[0]?.vector ?? [], k: 5 })).ok).toBe(true);
    const afterFirst = cached.gets();
    expect((await warm.search(space, { vector: records(7, 1)[0]?.vector ?? [], k: 5 })).ok).toBe(true);
    expect(cached.gets()).toBe(afterFirst);
    await warm.close();

    const tiny = openEmbeddedWarmIndex({ store: cached.store, cacheBytes: 1 });
    expect((await tiny.search(space, { vector: records(3, 1)[0]?.vector ?? [], k: 5 })).ok).toBe(true);
    const before = cached.gets();
    expect((await tiny.search(space, { vector: records(7, 1)[0]?.vector ?? [], k: 5 })).ok).toBe(true);
    expect(cached.gets()).toBeGreaterThan(before);
    await tiny.close();
  });

  it("answers a space it holds nothing of with no hits, and still sees an upsert queued before the search", async () => {
    const { store } = await countingStore("absent");
    const index = openEmbeddedWarmIndex({ store });
    const query = { vector: records(1, 1)[0]?.vector ?? [], k: 3 };
    expect(await index.search(space, query)).toEqual({ ok: true, value: [] });
    expect(await index.search(space, query)).toEqual({ ok: true, value: [] });
    // Called, not awaited: the search after it waits for it, as every operation on a space does.
    const upsert = index.upsert(space, records(0, 10));
    const racing = index.search(space, query);
    expect((await upsert).ok).toBe(true);
    const found = await racing;
    const after = await index.search(space, query);
    const ids = (result: typeof found) =>
      result.ok ? result.value.map((hit) => hit.id) : [result.error.kind];
    expect(ids(found)).toHaveLength(3);
    expect(ids(found)).toEqual(ids(after));
    expect(ids(found)[0]).toBe("d1");
    await index.close();
  });

  it("deletes a segment a crash left unlisted when the space is next loaded, keeping the data", async () => {
    const { store } = await countingStore("orphan");
    const index = openEmbeddedWarmIndex({ store });
    expect((await index.upsert(space, records(0, 10))).ok).toBe(true);
    await index.close();
    const listed = await store.list("warm/segments/", { limit: 10 });
    const segmentDir = listed.items[0]?.key.replace(/[^/]+$/, "") ?? "";
    expect((await store.put(`${segmentDir}9999999999-deadbeef.seg`, Buffer.from("half-written"))).ok).toBe(
      true,
    );

    const reopened = openEmbeddedWarmIndex({ store });
    const count = await reopened.count(space);
    expect(count.ok && count.value).toBe(10);
    const after = await store.list("warm/segments/", { limit: 10 });
    expect(after.items.map((i) => i.key)).toEqual(listed.items.map((i) => i.key));
    await reopened.close();
  });

  it("a collection delete rewrites the segments that held it: its vectors leave the store", async () => {
    const { store } = await countingStore("purge");
    const index = openEmbeddedWarmIndex({ store });
    const secret = {
      ...records(0, 1)[0],
      id: "secret",
      collectionId: "gone",
      payload: { text: "secret-payload" },
    };
    expect((await index.upsert(space, [...records(0, 20), secret as never])).ok).toBe(true);
    expect((await index.upsert(space, records(20, 20))).ok).toBe(true);
    const deleted = await index.deleteWhere(space, { collectionId: "gone" });
    expect(deleted.ok && deleted.value).toBe(1);
    let everything = "";
    for (const item of (await store.list("warm/", { limit: 100 })).items) {
      const got = await store.get(item.key);
      if (!got.ok) continue;
      for await (const c of got.value.body) everything += (c as Buffer).toString("latin1");
    }
    expect(everything).not.toContain("secret-payload");
    const count = await index.count(space);
    expect(count.ok && count.value).toBe(40);
    await index.close();
  });

  it("reports a corrupt segment as an internal error, never as wrong results", async () => {
    const { store } = await countingStore("corrupt");
    const index = openEmbeddedWarmIndex({ store });
    expect((await index.upsert(space, records(0, 10))).ok).toBe(true);
    await index.close();
    const [segment] = (await store.list("warm/segments/", { limit: 10 })).items;
    if (!segment) throw new Error("no segment");
    const got = await store.get(segment.key);
    if (!got.ok) throw new Error("segment missing");
    const chunks: Buffer[] = [];
    for await (const c of got.value.body) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    expect((await store.put(segment.key, bytes)).ok).toBe(true);

    const reopened = openEmbeddedWarmIndex({ store });
    const r = await reopened.search(space, { vector: records(0, 1)[0]?.vector ?? [], k: 3 });
    expect(r.ok ? undefined : r.error.kind).toBe("internal");
    expect(r.ok ? "" : r.error.message).toContain("checksum mismatch");
    await reopened.close();
  });
});
