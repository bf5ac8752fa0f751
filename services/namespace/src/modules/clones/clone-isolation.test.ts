import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cloneIdOf } from "../../shared/clone-step.js";
import { callerOf } from "../../shared/test-support.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { deleteDocument, updateDocument } from "../documents/change-document.js";
import { createDocument } from "../documents/create-document.js";
import { listDocuments } from "../documents/read-documents.js";
import type { Tier } from "../documents/tables.js";
import { moveDocuments } from "../tiers/move-documents.js";
import { acceptClone } from "./accept-clone.js";
import { type CloneTestData, cloneTestData, createItems } from "./clone-test-support.js";

const URI = "strata://test@v1/embedding";

/** One write to one side: which side, which document (of a small pool), and what. */
type Operation =
  | { readonly side: 0 | 1; readonly kind: "write"; readonly doc: number; readonly value: number }
  | { readonly side: 0 | 1; readonly kind: "delete"; readonly doc: number }
  | { readonly side: 0 | 1; readonly kind: "acl"; readonly doc: number; readonly reader: string }
  | { readonly side: 0 | 1; readonly kind: "move"; readonly doc: number; readonly to: VectorTier };

/** The tiers that hold a document's vectors (archive keeps none: a move there is not undone). */
type VectorTier = Exclude<Tier, "archive">;
const VECTOR_TIERS: readonly VectorTier[] = ["hot", "warm", "cold"];

const side = fc.constantFrom<0 | 1>(0, 1);
const doc = fc.integer({ min: 0, max: 4 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ side, kind: fc.constant("write" as const), doc, value: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ side, kind: fc.constant("delete" as const), doc }),
  fc.record({ side, kind: fc.constant("acl" as const), doc, reader: fc.constantFrom("bob", "carol") }),
  fc.record({ side, kind: fc.constant("move" as const), doc, to: fc.constantFrom(...VECTOR_TIERS) }),
);

/**
 * What a side holds per document: its metadata value, its readers, the tier of its vectors (writes
 * land hot, ADR 0023) and the direction of its vector.
 */
type Model = Map<string, { value: number; read: string[]; tier: VectorTier; vector: number[] }>;

/** The document's vector as the tier its record names holds it, as a unit vector rounded. */
async function vectorIn(t: CloneTestData, collectionId: string, documentId: string, tier: VectorTier) {
  const collection = (await t.all.store.table<CollectionRecord>(COLLECTIONS_TABLE).get(collectionId))?.record;
  if (collection === undefined) throw new Error(`no collection ${collectionId}`);
  const read = await t.all.vectors.read(collection, documentId, [URI], tier);
  if (!read.ok) throw new Error(read.error.message);
  return read.value.map((v) => direction(v.vector));
}

function direction(vector: ArrayLike<number>): number[] {
  const values = Array.from(vector);
  const norm = Math.hypot(...values);
  return values.map((x) => Math.round((x / norm) * 1e4) / 1e4);
}

describe("a clone and its source", () => {
  it("never see each other's writes, deletes, ACL changes or tier moves (random interleavings against a model)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
        const t = await cloneTestData();
        const admin = callerOf(t.organizationId);
        const items = await createItems(t, 2);
        const models: [Model, Model] = [new Map(), new Map()];
        for (let i = 0; i < 3; i++) {
          const written = await createDocument(t.all, admin, t.namespaceId, "items", {
            documentId: `d${i}`,
            metadata: { value: i },
            features: { [URI]: [1, i + 1] },
            taxonomyLabels: [],
            acl: { read: [], write: [] },
          });
          if (!written.ok) throw new Error(written.error.message);
          models[0].set(`d${i}`, { value: i, read: [], tier: "hot", vector: [1, i + 1] });
        }
        const accepted = await acceptClone(t.all, admin, t.namespaceId, {
          namespaceName: "copy",
          includeWebhooks: false,
        });
        if (!accepted.ok) throw new Error(accepted.error.message);
        await t.all.cloneRuns.settled();
        models[1] = new Map([...models[0]].map(([id, entry]) => [id, { ...entry, read: [...entry.read] }]));
        const namespaces = [t.namespaceId, accepted.value.namespace.id] as const;
        const target = { namespaceId: namespaces[1], organizationId: t.organizationId };
        const collections = [items.id, cloneIdOf("collection", target, items.id)] as const;

        for (const op of operations) {
          const namespaceId = namespaces[op.side];
          const model = models[op.side];
          const id = `d${op.doc}`;
          const entry = model.get(id);
          if (op.kind === "write") {
            const result =
              entry === undefined
                ? await createDocument(t.all, admin, namespaceId, "items", {
                    documentId: id,
                    metadata: { value: op.value },
                    features: { [URI]: [op.value, 1] },
                    taxonomyLabels: [],
                    acl: { read: [], write: [] },
                  })
                : await updateDocument(t.all, admin, namespaceId, "items", id, {
                    metadata: { value: op.value },
                  });
            expect(result.ok).toBe(true);
            model.set(id, {
              value: op.value,
              read: entry?.read ?? [],
              tier: "hot",
              vector: entry?.vector ?? [op.value, 1],
            });
          } else if (op.kind === "delete") {
            const result = await deleteDocument(t.all, admin, namespaceId, "items", id);
            expect(result.ok).toBe(entry !== undefined);
            model.delete(id);
          } else if (op.kind === "move") {
            const moved = await moveDocuments(
              t.all,
              admin,
              namespaceId,
              [{ collectionId: collections[op.side], documentId: id, targetTier: op.to }],
              "manual",
            );
            if (!moved.ok) throw new Error(moved.error.message);
            const expected = entry === undefined ? "not_found" : entry.tier === op.to ? "unchanged" : "moved";
            expect(moved.value.map((m) => m.outcome)).toEqual([expected]);
            if (entry !== undefined) model.set(id, { ...entry, tier: op.to });
          } else if (entry !== undefined) {
            const read = [...new Set([...entry.read, op.reader])].sort();
            const result = await updateDocument(t.all, admin, namespaceId, "items", id, {
              acl: { read, write: [] },
            });
            expect(result.ok).toBe(true);
            model.set(id, { ...entry, read, tier: "hot" });
          }
        }

        for (const s of [0, 1] as const) {
          const listed = await listDocuments(t.all, admin, namespaces[s], "items", {
            limit: 100,
            cursor: undefined,
          });
          if (!listed.ok) throw new Error(listed.error.message);
          const seen = new Map(
            listed.value.documents.map((d) => [
              d.document_id,
              {
                value: (d.metadata as { value: number }).value,
                read: [...d._acl.read].sort(),
                tier: d.tier,
              },
            ]),
          );
          const listedAsModelled = [...models[s]].map(
            ([id, { vector: _vector, ...fields }]) => [id, fields] as const,
          );
          expect(seen).toEqual(new Map(listedAsModelled));
          // Each side's vector is in the tier its own record names, and it is the one that side wrote.
          for (const [id, entry] of models[s])
            expect(await vectorIn(t, collections[s], id, entry.tier)).toEqual([direction(entry.vector)]);
        }
      }),
      { numRuns: 15 },
    );
  });
});
