import { describe, expect, it } from "vitest";
import { issuesOf, kindOf } from "../../shared/data-test-support.js";
import { createDocument } from "./create-document.js";
import { doc, setup } from "./documents-test-support.js";
import { listDocuments } from "./read-documents.js";

describe("listDocuments", () => {
  it("filters on indexed fields and built-ins, pages newest first, and refuses other fields", async () => {
    const { t, admin, collectionId } = await setup();
    const rows: [string, Record<string, unknown>][] = [
      ["a", { category: "shoe", year: 2001, tags: ["red"] }],
      ["b", { category: "hat", year: 2010, tags: ["blue", "red"] }],
      ["c", { category: "shoe", year: 2020, note: "n" }],
    ];
    for (const [documentId, metadata] of rows) {
      t.advance(1000);
      const created = await createDocument(
        t.ports,
        admin,
        t.namespaceId,
        collectionId,
        doc({ documentId, metadata }),
      );
      if (!created.ok) throw new Error(JSON.stringify(created.error));
    }
    const ids = async (filters: unknown, limit = 10) => {
      const page = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
        filters,
        limit,
        cursor: undefined,
      });
      if (!page.ok) throw new Error(JSON.stringify(page.error));
      return page.value.documents.map((d) => d.document_id);
    };
    expect(await ids(undefined)).toEqual(["c", "b", "a"]);
    expect(await ids({ field: "metadata.category", operator: "eq", value: "shoe" })).toEqual(["c", "a"]);
    expect(
      await ids({
        AND: [
          { field: "metadata.year", operator: "gte", value: 2005 },
          { field: "tier", value: "hot" },
        ],
      }),
    ).toEqual(["c", "b"]);
    expect(await ids({ field: "metadata.tags", operator: "contains", value: "red" })).toEqual(["b", "a"]);
    expect(await ids({ NOT: [{ field: "document_id", operator: "in", value: ["a", "c"] }] })).toEqual(["b"]);
    const notIndexed = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
      filters: { field: "metadata.note", value: "n" },
      limit: 10,
      cursor: undefined,
    });
    expect(issuesOf(notIndexed)).toEqual(["body.filters: field_not_indexed"]);
    const malformed = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
      filters: { field: "metadata.year", operator: "regex", value: "x" },
      limit: 10,
      cursor: undefined,
    });
    expect(kindOf(malformed)).toBe("validation");
    const first = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
      limit: 2,
      cursor: undefined,
    });
    if (!first.ok) throw new Error("list");
    const second = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
      limit: 2,
      cursor: first.value.nextCursor ?? undefined,
    });
    expect(second.ok ? second.value.documents.map((d) => d.document_id) : []).toEqual(["a"]);
    expect(
      kindOf(await listDocuments(t.ports, admin, t.namespaceId, collectionId, { limit: 2, cursor: "junk" })),
    ).toBe("bad_request");
    expect(
      kindOf(
        await listDocuments(t.ports, admin, t.otherNamespaceId, collectionId, {
          limit: 2,
          cursor: undefined,
        }),
      ),
    ).toBe("not_found");
  });
});
