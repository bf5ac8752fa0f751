import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callerOf } from "../../shared/test-support.js";
import { deleteDocument, updateDocument } from "../documents/change-document.js";
import { createDocument } from "../documents/create-document.js";
import { listDocuments } from "../documents/read-documents.js";
import { acceptClone } from "./accept-clone.js";
import { cloneTestData, createItems } from "./clone-test-support.js";

const URI = "strata://test@v1/embedding";

/** One write to one side: which side, which document (of a small pool), and what. */
type Operation =
  | { readonly side: 0 | 1; readonly kind: "write"; readonly doc: number; readonly value: number }
  | { readonly side: 0 | 1; readonly kind: "delete"; readonly doc: number }
  | { readonly side: 0 | 1; readonly kind: "acl"; readonly doc: number; readonly reader: string };

const side = fc.constantFrom<0 | 1>(0, 1);
const doc = fc.integer({ min: 0, max: 4 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ side, kind: fc.constant("write" as const), doc, value: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ side, kind: fc.constant("delete" as const), doc }),
  fc.record({ side, kind: fc.constant("acl" as const), doc, reader: fc.constantFrom("bob", "carol") }),
);

/** What a side holds per document: its metadata value and its readers. */
type Model = Map<string, { value: number; read: string[] }>;

describe("a clone and its source", () => {
  it("never see each other's writes, deletes or ACL changes (random interleavings against a model)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
        const t = await cloneTestData();
        const admin = callerOf(t.organizationId);
        await createItems(t, 2);
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
          models[0].set(`d${i}`, { value: i, read: [] });
        }
        const accepted = await acceptClone(t.all, admin, t.namespaceId, {
          namespaceName: "copy",
          includeWebhooks: false,
        });
        if (!accepted.ok) throw new Error(accepted.error.message);
        await t.all.cloneRuns.settled();
        models[1] = new Map([...models[0]].map(([id, entry]) => [id, { ...entry, read: [...entry.read] }]));
        const namespaces = [t.namespaceId, accepted.value.namespace.id] as const;

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
            model.set(id, { value: op.value, read: entry?.read ?? [] });
          } else if (op.kind === "delete") {
            const result = await deleteDocument(t.all, admin, namespaceId, "items", id);
            expect(result.ok).toBe(entry !== undefined);
            model.delete(id);
          } else if (entry !== undefined) {
            const read = [...new Set([...entry.read, op.reader])].sort();
            const result = await updateDocument(t.all, admin, namespaceId, "items", id, {
              acl: { read, write: [] },
            });
            expect(result.ok).toBe(true);
            model.set(id, { ...entry, read });
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
              { value: (d.metadata as { value: number }).value, read: [...d._acl.read].sort() },
            ]),
          );
          expect(seen).toEqual(models[s]);
        }
      }),
      { numRuns: 15 },
    );
  });
});
