import { describe, expect, it } from "vitest";
import {
  callerOf,
  documentOf,
  NS,
  OTHER_NS,
  type TestAclQuery,
  testAclQuery,
} from "../../testing/domain-test-support.js";
import { deleteRetriever, updateRetriever } from "./change-retriever.js";
import { createRetriever, createRetrievers, type NewRetrieverInput } from "./create-retriever.js";
import { executeRetriever } from "./execute-retriever.js";
import { getRetriever, listRetrievers } from "./read-retrievers.js";

const URI = "strata://test@v1/embedding";
const TEXT_URI = "strata://text-hash@v1/embedding";
const admin = callerOf();

async function setup(): Promise<TestAclQuery> {
  const t = await testAclQuery();
  t.data.addCollection(NS, {
    collectionId: "col_11111111111111111111",
    collectionName: "items",
    features: [{ featureUri: URI, dimensions: 3, metric: "cosine" }],
    indexedFields: ["category"],
  });
  t.data.addCollection(NS, {
    collectionId: "col_22222222222222222222",
    collectionName: "notes",
    features: [{ featureUri: TEXT_URI, dimensions: 512, metric: "cosine" }],
    indexedFields: [],
  });
  t.data.addCollection(OTHER_NS, {
    collectionId: "col_33333333333333333333",
    collectionName: "elsewhere",
    features: [{ featureUri: URI, dimensions: 3, metric: "cosine" }],
    indexedFields: [],
  });
  return t;
}

const input = (overrides: Partial<NewRetrieverInput> = {}): NewRetrieverInput => ({
  retrieverName: "similar",
  description: "",
  collectionIdentifiers: ["items"],
  featureUri: URI,
  topK: undefined,
  filters: undefined,
  scoreThreshold: undefined,
  ...overrides,
});

function issuesOf(result: { ok: boolean; error?: { details?: Record<string, unknown> } }): string[] {
  const issues = (result.error?.details?.validation_errors ?? []) as Array<{ type: string }>;
  return issues.map((i) => i.type);
}

describe("retrievers", () => {
  it("creates a retriever with collection names resolved to ids and a canonical feature URI", async () => {
    const t = await setup();
    const created = await createRetriever(
      t.ports,
      admin,
      NS,
      input({
        featureUri: "mixpeek://test@v1/embedding",
        filters: { field: "metadata.category", value: "a" },
      }),
    );
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    expect(created.value).toMatchObject({
      retriever_name: "similar",
      collection_ids: ["col_11111111111111111111"],
      feature_uri: URI,
      top_k: 10,
      dimensions: 3,
      metric: "cosine",
      filters: { field: "metadata.category", operator: "eq", value: "a" },
    });
    expect(created.value.id).toMatch(/^ret_/);
    const byName = await getRetriever(t.ports, admin, NS, "similar");
    expect(byName.ok && byName.value.id).toBe(created.value.id);
  });

  it("refuses bad input with the reasons", async () => {
    const t = await setup();
    const cases: Array<[Partial<NewRetrieverInput>, string]> = [
      [{ retrieverName: "ret_abc" }, "invalid_format"],
      [{ topK: 0 }, "out_of_range"],
      [{ topK: 1001 }, "out_of_range"],
      [{ featureUri: "http://x" }, "invalid_format"],
      [{ filters: { field: "metadata.x", operator: "like", value: 1 } }, "invalid_enum_value"],
      [{ filters: { field: "metadata.other", value: 1 } }, "field_not_indexed"],
      [{ filters: { field: "metadata.category", value: "$user.attributes.team" } }, "caller_ref"],
      [{ collectionIdentifiers: ["notes"] }, "feature_not_declared"],
      [{ collectionIdentifiers: [] }, "missing"],
    ];
    for (const [overrides, type] of cases) {
      const created = await createRetriever(t.ports, admin, NS, input(overrides));
      expect(created.ok, JSON.stringify(overrides)).toBe(false);
      if (created.ok) continue;
      expect(created.error.kind, JSON.stringify(overrides)).toBe("validation");
      if (type !== "invalid_enum_value") expect(issuesOf(created), JSON.stringify(overrides)).toContain(type);
    }
  });

  it("answers not_found for an unknown collection and one of another namespace", async () => {
    const t = await setup();
    for (const collection of ["nope", "col_33333333333333333333"]) {
      const created = await createRetriever(
        t.ports,
        admin,
        NS,
        input({ collectionIdentifiers: [collection] }),
      );
      expect(!created.ok && created.error.kind).toBe("not_found");
    }
  });

  it("keeps names unique per namespace and hides other namespaces' retrievers", async () => {
    const t = await setup();
    const first = await createRetriever(t.ports, admin, NS, input());
    if (!first.ok) throw new Error("create failed");
    const again = await createRetriever(t.ports, admin, NS, input());
    expect(!again.ok && again.error.kind).toBe("already_exists");
    for (const caller of [
      callerOf({ organizationId: "org_99999999999999999999" }),
      callerOf({ namespaces: [OTHER_NS] }),
    ]) {
      const got = await getRetriever(t.ports, caller, NS, first.value.id);
      expect(!got.ok && got.error.kind).toBe("not_found");
    }
    const elsewhere = await getRetriever(t.ports, admin, OTHER_NS, first.value.id);
    expect(!elsewhere.ok && elsewhere.error.kind).toBe("not_found");
    const readOnly = await createRetriever(
      t.ports,
      callerOf({ permissions: ["read"] }),
      NS,
      input({ retrieverName: "x" }),
    );
    expect(!readOnly.ok && readOnly.error.kind).toBe("forbidden");
  });

  it("creates many in one call, each answering on its own, a collection looked up once", async () => {
    const t = await setup();
    const asked: string[] = [];
    const data = t.ports.namespaceData;
    const counting = {
      ...t.ports,
      namespaceData: Object.assign(Object.create(data) as typeof data, {
        getCollection: (...args: Parameters<typeof data.getCollection>) => {
          asked.push(args[2]);
          return data.getCollection(...args);
        },
      }),
    };
    const first = await createRetriever(t.ports, admin, NS, input({ retrieverName: "taken" }));
    if (!first.ok) throw new Error(first.error.message);
    const created = await createRetrievers(counting, admin, NS, [
      input({ retrieverName: "one" }),
      input({ retrieverName: "taken" }),
      input({ retrieverName: "bad", collectionIdentifiers: ["nowhere"] }),
      input({ retrieverName: "one", topK: 3 }),
      input({ retrieverName: "two", topK: -1 }),
      input({ retrieverName: "three" }),
    ]);
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.map((r) => (r.ok ? r.value.retriever_name : r.error.kind))).toEqual([
      "one",
      "already_exists",
      "not_found",
      "already_exists",
      "validation",
      "three",
    ]);
    expect(asked.filter((identifier) => identifier === "items")).toHaveLength(1);
    const listed = await listRetrievers(t.ports, admin, NS, { limit: 10, cursor: undefined });
    expect(listed.ok ? listed.value.records.map((r) => r.retriever_name).sort() : []).toEqual([
      "one",
      "taken",
      "three",
    ]);
    expect((await createRetrievers(t.ports, callerOf({ permissions: ["read"] }), NS, [input()])).ok).toBe(
      false,
    );
  });

  it("a batch naming many collections lists the namespace's once instead of a lookup each", async () => {
    const t = await setup();
    const names = Array.from({ length: 12 }, (_, i) => `many-${i}`);
    for (const [i, collectionName] of names.entries())
      t.data.addCollection(NS, {
        collectionId: `col_${String(i).padStart(20, "9")}`,
        collectionName,
        features: [{ featureUri: URI, dimensions: 3, metric: "cosine" }],
        indexedFields: [],
      });
    const asked: string[] = [];
    const data = t.ports.namespaceData;
    const counting = {
      ...t.ports,
      namespaceData: Object.assign(Object.create(data) as typeof data, {
        getCollection: (...args: Parameters<typeof data.getCollection>) => {
          asked.push(args[2]);
          return data.getCollection(...args);
        },
      }),
    };
    const created = await createRetrievers(counting, admin, NS, [
      ...names.map((name) => input({ retrieverName: `r-${name}`, collectionIdentifiers: [name] })),
      input({ retrieverName: "lost", collectionIdentifiers: ["nowhere"] }),
    ]);
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.map((r) => (r.ok ? r.value.collection_ids[0] : r.error.kind))).toEqual([
      ...names.map((_, i) => `col_${String(i).padStart(20, "9")}`),
      "not_found",
    ]);
    expect(asked).toEqual(["nowhere"]);
  });

  it("lists newest first with a cursor, updates and deletes", async () => {
    const t = await setup();
    for (const name of ["a", "b", "c"]) {
      await createRetriever(t.ports, admin, NS, input({ retrieverName: name }));
      t.advance(1000);
    }
    const page1 = await listRetrievers(t.ports, admin, NS, { limit: 2, cursor: undefined });
    if (!page1.ok) throw new Error("list failed");
    expect(page1.value.records.map((r) => r.retriever_name)).toEqual(["c", "b"]);
    const page2 = await listRetrievers(t.ports, admin, NS, {
      limit: 2,
      cursor: page1.value.nextCursor ?? "",
    });
    expect(page2.ok && page2.value.records.map((r) => r.retriever_name)).toEqual(["a"]);

    const updated = await updateRetriever(t.ports, admin, NS, "a", {
      topK: 5,
      retrieverName: "a2",
      filters: null,
    });
    expect(updated.ok && updated.value).toMatchObject({ top_k: 5, retriever_name: "a2", filters: null });
    const taken = await updateRetriever(t.ports, admin, NS, "a2", { retrieverName: "b" });
    expect(!taken.ok && taken.error.kind).toBe("already_exists");
    const deleted = await deleteRetriever(t.ports, admin, NS, "a2");
    expect(deleted.ok && deleted.value.deletedAlerts).toBe(0);
    const gone = await getRetriever(t.ports, admin, NS, "a2");
    expect(!gone.ok && gone.error.kind).toBe("not_found");
  });
});

describe("executing a retriever", () => {
  async function withDocuments(): Promise<TestAclQuery> {
    const t = await setup();
    const col = "col_11111111111111111111";
    t.data.addDocument(documentOf(col, "near", { [URI]: [1, 0, 0] }, { category: "a" }));
    t.data.addDocument(documentOf(col, "mid", { [URI]: [1, 1, 0] }, { category: "b" }));
    t.data.addDocument(documentOf(col, "far", { [URI]: [0, 0, 1] }, { category: "a" }));
    return t;
  }

  it("searches near a vector, nearest first, with the filters ANDed", async () => {
    const t = await withDocuments();
    await createRetriever(t.ports, admin, NS, input());
    const all = await executeRetriever(t.ports, admin, NS, "similar", {
      query: { kind: "vector", values: [1, 0, 0] },
      filters: undefined,
      topK: undefined,
    });
    expect(all.ok && all.value.results.map((r) => r.documentId)).toEqual(["near", "mid", "far"]);
    const filtered = await executeRetriever(t.ports, admin, NS, "similar", {
      query: { kind: "vector", values: [1, 0, 0] },
      filters: { field: "metadata.category", value: "a" },
      topK: 1,
    });
    expect(filtered.ok && filtered.value.results.map((r) => r.documentId)).toEqual(["near"]);
  });

  it("searches like a document, leaving that document out", async () => {
    const t = await withDocuments();
    await createRetriever(t.ports, admin, NS, input());
    const like = await executeRetriever(t.ports, admin, NS, "similar", {
      query: { kind: "document", documentId: "near", collectionIdentifier: undefined },
      filters: undefined,
      topK: undefined,
    });
    expect(like.ok && like.value.results.map((r) => r.documentId)).toEqual(["mid", "far"]);
    expect(t.data.searches.at(-1)?.excludeDocumentIds).toEqual(["near"]);
    const missing = await executeRetriever(t.ports, admin, NS, "similar", {
      query: { kind: "document", documentId: "nope", collectionIdentifier: undefined },
      filters: undefined,
      topK: undefined,
    });
    expect(!missing.ok && missing.error.kind).toBe("not_found");
  });

  it("embeds text only for a feature with a built-in extractor", async () => {
    const t = await withDocuments();
    await createRetriever(t.ports, admin, NS, input());
    const refused = await executeRetriever(t.ports, admin, NS, "similar", {
      query: { kind: "text", text: "hello" },
      filters: undefined,
      topK: undefined,
    });
    expect(!refused.ok && refused.error.kind).toBe("validation");
    expect(!refused.ok && refused.error.message).toMatch(/no built-in text extractor/);

    await createRetriever(
      t.ports,
      admin,
      NS,
      input({ retrieverName: "notes", collectionIdentifiers: ["notes"], featureUri: TEXT_URI }),
    );
    const embedded = await executeRetriever(t.ports, admin, NS, "notes", {
      query: { kind: "text", text: "hello world" },
      filters: undefined,
      topK: undefined,
    });
    expect(embedded.ok).toBe(true);
    expect(t.data.searches.at(-1)?.vector).toHaveLength(512);
  });

  it("refuses a vector of the wrong size and a bad filter", async () => {
    const t = await withDocuments();
    await createRetriever(t.ports, admin, NS, input());
    const short = await executeRetriever(t.ports, admin, NS, "similar", {
      query: { kind: "vector", values: [1, 0] },
      filters: undefined,
      topK: undefined,
    });
    expect(!short.ok && short.error.kind).toBe("validation");
    const badFilter = await executeRetriever(t.ports, admin, NS, "similar", {
      query: { kind: "vector", values: [1, 0, 0] },
      filters: { AND: "x" },
      topK: undefined,
    });
    expect(!badFilter.ok && badFilter.error.kind).toBe("validation");
  });
});
