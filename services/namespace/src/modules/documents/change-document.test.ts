import { describe, expect, it } from "vitest";
import { kindOf } from "../../shared/data-test-support.js";
import { readDocumentVectors } from "../../shared/vectors/read-vectors.js";
import { deleteDocument, updateDocument } from "./change-document.js";
import { createDocument } from "./create-document.js";
import { doc, documentEvents, IMAGE, setup, TEXT } from "./documents-test-support.js";
import { getDocument } from "./read-documents.js";

describe("updateDocument and deleteDocument", () => {
  it("replaces given fields whole, emits document.updated with what changed, and nothing for a no-op", async () => {
    const { t, admin, collectionId, taxonomyId } = await setup();
    await createDocument(t.ports, admin, t.namespaceId, collectionId, doc({ documentId: "d", text: "old" }));
    t.advance(1000);
    const updated = await updateDocument(t.ports, admin, t.namespaceId, collectionId, "d", {
      metadata: { category: "hat" },
      features: { [IMAGE]: [3, 4] },
      text: "",
      taxonomyLabels: [{ taxonomy_id: taxonomyId, label: "clothing" }],
    });
    if (!updated.ok) throw new Error(JSON.stringify(updated.error));
    expect(updated.value).toMatchObject({
      metadata: { category: "hat" },
      feature_uris: [IMAGE],
      text: null,
      taxonomy_terms: [`${taxonomyId}/clothing`],
      updated_at: t.now().toISOString(),
    });
    // The TEXT vector the update left out is gone from the hot index too.
    expect(await readDocumentVectors(t.ports, [{ ...updated.value, feature_uris: [IMAGE, TEXT] }])).toEqual({
      ok: true,
      value: [[{ feature_uri: IMAGE, vector: [3, 4] }]],
    });
    const same = await updateDocument(t.ports, admin, t.namespaceId, collectionId, "d", {
      metadata: { category: "hat" },
    });
    expect(same.ok).toBe(true);
    const metadataOnly = await updateDocument(t.ports, admin, t.namespaceId, collectionId, "d", {
      metadata: { category: "shoe" },
    });
    expect(metadataOnly.ok).toBe(true);
    const events = (await documentEvents(t)).filter((e) => e.type === "document.updated");
    expect(events.map((e) => (e.type === "document.updated" ? e.data.changed_fields : []))).toEqual([
      ["metadata", "features", "text", "taxonomy_labels"],
      ["metadata"],
    ]);
  });

  it("refuses an invalid update and leaves the document as it was", async () => {
    const { t, admin, collectionId } = await setup();
    await createDocument(t.ports, admin, t.namespaceId, collectionId, doc({ documentId: "d" }));
    const before = await getDocument(t.ports, admin, t.namespaceId, collectionId, "d");
    const bad = [
      { metadata: { category: "boot" } },
      { features: { [TEXT]: [1, 2, 3, 4] } },
      { features: { [TEXT]: [1, 2, 3] }, metadata: { year: 3000 } },
    ];
    for (const changes of bad) {
      expect(kindOf(await updateDocument(t.ports, admin, t.namespaceId, collectionId, "d", changes))).toBe(
        "validation",
      );
    }
    expect(await getDocument(t.ports, admin, t.namespaceId, collectionId, "d")).toEqual(before);
    expect(
      kindOf(await updateDocument(t.ports, admin, t.namespaceId, collectionId, "nope", { text: "x" })),
    ).toBe("not_found");
    expect((await documentEvents(t)).map((e) => e.type)).toEqual(["document.created"]);
  });

  it("deletes once with document.deleted", async () => {
    const { t, admin, collectionId } = await setup();
    await createDocument(t.ports, admin, t.namespaceId, collectionId, doc({ documentId: "d" }));
    expect(kindOf(await deleteDocument(t.ports, admin, t.otherNamespaceId, collectionId, "d"))).toBe(
      "not_found",
    );
    const deleted = await deleteDocument(t.ports, admin, t.namespaceId, collectionId, "d");
    expect(deleted.ok ? deleted.value.document_id : undefined).toBe("d");
    expect(kindOf(await deleteDocument(t.ports, admin, t.namespaceId, collectionId, "d"))).toBe("not_found");
    const events = await documentEvents(t);
    expect(events.map((e) => e.type)).toEqual(["document.created", "document.deleted"]);
    expect(events[1]?.data).toMatchObject({ document_id: "d", cause: "document_deleted" });
  });
});
