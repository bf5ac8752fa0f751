import { describe, expect, it } from "vitest";
import { kindOf, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { createCollection } from "../collections/create-collection.js";
import { createDocument, type NewDocumentInput } from "./create-document.js";
import { DOCUMENTS_TABLE } from "./tables.js";

const URI = "strata://test@v1/embedding";
const TOKEN = "tok_Z9y8X7w6V5u4T3s2R1q0";

async function collection() {
  const t = await testData();
  const admin = callerOf(t.organizationId);
  const made = await createCollection(t.ports, admin, t.namespaceId, {
    collectionName: "notes",
    description: "",
    features: [{ featureUri: URI, dimensions: 2, metric: "cosine" }],
    metadataSchema: undefined,
    indexedFields: [],
  });
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  const count = () => t.store.table(DOCUMENTS_TABLE).count({ collection_id: made.value.id });
  const create = (input: Partial<NewDocumentInput>) =>
    createDocument(t.ports, admin, t.namespaceId, "notes", {
      features: { [URI]: [1, 0] },
      taxonomyLabels: [],
      ...input,
    });
  return { t, count, create };
}

describe("createDocument under a request token (ADR 0016)", () => {
  it("answers a repeated unnamed creation with the first document, with one document.created", async () => {
    const c = await collection();
    const first = await c.create({ metadata: { n: 1 }, requestToken: TOKEN });
    if (!first.ok) throw new Error(first.error.message);
    const again = await c.create({ metadata: { n: 1 }, requestToken: TOKEN });
    expect(again).toEqual(first);
    expect(await c.count()).toBe(1);
    const created = (await c.t.events()).filter((e) => e.type === "document.created");
    expect(created).toHaveLength(1);
    // Without a token, or with another, the same body is another document.
    expect((await c.create({ metadata: { n: 1 } })).ok).toBe(true);
    const other = await c.create({ metadata: { n: 1 }, requestToken: `${TOKEN}x` });
    expect(other.ok && other.value.document_id !== first.value.document_id).toBe(true);
    expect(await c.count()).toBe(3);
  });

  it("replays a named document only to its own token, and refuses a malformed token", async () => {
    const c = await collection();
    const first = await c.create({ documentId: "note-1", requestToken: TOKEN });
    if (!first.ok) throw new Error(first.error.message);
    expect(await c.create({ documentId: "note-1", requestToken: TOKEN })).toEqual(first);
    expect(kindOf(await c.create({ documentId: "note-1", requestToken: `${TOKEN}x` }))).toBe(
      "already_exists",
    );
    expect(kindOf(await c.create({ documentId: "note-1" }))).toBe("already_exists");
    expect(kindOf(await c.create({ requestToken: "short" }))).toBe("validation");
    expect(await c.count()).toBe(1);
  });
});
