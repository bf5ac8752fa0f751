import { randomUUID } from "node:crypto";
import type { AppError, Result } from "@strata/errors";
import { describe, expect, it } from "vitest";
import type { ColdDocument, ColdStore } from "./port.js";

/** Opens the store behind `name` (the same name again sees the same objects). */
export type OpenColdStore = (name: string) => Promise<ColdStore>;

function unwrap<T>(result: Result<T, AppError>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function coldDocument(
  namespaceId: string,
  collectionId: string,
  documentId: string,
  seed = 1,
): ColdDocument {
  const vector = (dims: number) =>
    Float32Array.from({ length: dims }, (_, i) => Math.sin(seed * 31 + i) * 3.5);
  return {
    namespaceId,
    collectionId,
    documentId,
    vectors: [
      { featureUri: "strata://text@v1/embedding", dimensions: 8, metric: "cosine", vector: vector(8) },
      { featureUri: "strata://image@v1/embedding", dimensions: 3, metric: "euclidean", vector: vector(3) },
    ],
    payload: {
      collection_id: collectionId,
      _acl: { owner: "prn_1", read: ["prn_2", "role:analyst"], write: ["prn_1"], public: false },
      metadata: { year: 2020 + seed, title: `ünïcode ${seed}`, tags: ["a", "b"], nested: { ok: true } },
    },
  };
}

async function collect(iterable: AsyncIterable<Result<ColdDocument[], AppError>>): Promise<ColdDocument[]> {
  const out: ColdDocument[] = [];
  for await (const page of iterable) out.push(...unwrap(page));
  return out;
}

/** The ColdStore contract, run against every adapter (fs and S3 ObjectStores). */
export function runColdStoreContract(name: string, open: OpenColdStore): void {
  describe(`ColdStore contract: ${name}`, () => {
    const ns = () => `ns_${randomUUID().slice(0, 12)}`;

    it("puts and gets a document bit for bit (vectors, payload), replaces, deletes", async () => {
      const store = await open("crud");
      const namespaceId = ns();
      const doc = coldDocument(namespaceId, "col_a", "doc_1");
      const written = unwrap(await store.put(doc));
      expect(written.bytes).toBeGreaterThan(11 * 4);
      const back = unwrap(await store.get(doc));
      expect(back).toEqual(doc);
      expect(back?.vectors[0]?.vector).toBeInstanceOf(Float32Array);

      const replaced = coldDocument(namespaceId, "col_a", "doc_1", 2);
      unwrap(await store.put(replaced));
      expect(unwrap(await store.get(doc))).toEqual(replaced);
      expect(unwrap(await store.get({ ...doc, documentId: "doc_2" }))).toBeUndefined();
      expect(unwrap(await store.get({ ...doc, collectionId: "col_b" }))).toBeUndefined();

      expect(unwrap(await store.delete([doc, { ...doc, documentId: "doc_2" }]))).toBe(1);
      expect(unwrap(await store.get(doc))).toBeUndefined();
    });

    it("keeps ids with characters object keys do not allow", async () => {
      const store = await open("crud");
      const doc = coldDocument(`${ns()}/odd ns`, "col/ä b", "doc ../x");
      unwrap(await store.put(doc));
      expect(unwrap(await store.get(doc))).toEqual(doc);
      expect((await collect(store.scan(doc.namespaceId, doc.collectionId))).map((d) => d.documentId)).toEqual(
        ["doc ../x"],
      );
    });

    it("putMany writes them all; scan pages through a namespace or one collection", async () => {
      const store = await open("scan");
      const namespaceId = ns();
      const docs = Array.from({ length: 230 }, (_, i) =>
        coldDocument(namespaceId, i % 3 === 0 ? "col_x" : "col_y", `doc_${i}`, i),
      );
      const other = coldDocument(ns(), "col_x", "doc_0");
      const written = unwrap(await store.putMany([...docs, other]));
      expect(written.bytes).toBeGreaterThan(230 * 44);
      const all = await collect(store.scan(namespaceId));
      expect(all.map((d) => d.documentId).sort()).toEqual(docs.map((d) => d.documentId).sort());
      expect(all.find((d) => d.documentId === "doc_17")).toEqual(docs[17]);
      const x = await collect(store.scan(namespaceId, "col_x"));
      expect(x.length).toBe(77);
      expect(x.every((d) => d.collectionId === "col_x")).toBe(true);
      expect(await collect(store.scan(namespaceId, "col_none"))).toEqual([]);
    });

    it("dropNamespace removes that namespace only", async () => {
      const store = await open("drop");
      const a = coldDocument(ns(), "col", "d1");
      const b = coldDocument(ns(), "col", "d1");
      unwrap(await store.putMany([a, b]));
      unwrap(await store.dropNamespace(a.namespaceId));
      expect(unwrap(await store.get(a))).toBeUndefined();
      expect(await collect(store.scan(a.namespaceId))).toEqual([]);
      expect(unwrap(await store.get(b))).toEqual(b);
    });

    it("a document survives reopening the store", async () => {
      const doc = coldDocument(ns(), "col", "d1", 9);
      unwrap(await (await open("reopen")).put(doc));
      expect(unwrap(await (await open("reopen")).get(doc))).toEqual(doc);
    });
  });
}
