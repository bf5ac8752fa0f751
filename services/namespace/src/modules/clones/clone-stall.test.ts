import { describe, expect, it } from "vitest";
import { CLONE_PAGE } from "../../shared/clone-step.js";
import { callerOf } from "../../shared/test-support.js";
import { createCollection } from "../collections/create-collection.js";
import { createDocument } from "../documents/create-document.js";
import { getDocument } from "../documents/read-documents.js";
import { acceptClone } from "./accept-clone.js";
import { cloneStatus } from "./clone-status.js";
import { cloneTestData, createDocuments, createItems, TEST_FEATURE_URI } from "./clone-test-support.js";

describe("a large clone", () => {
  it("lets a write to another namespace finish while it copies (ADR 0029: pages, not one transaction)", async () => {
    const t = await cloneTestData();
    const admin = callerOf(t.organizationId);
    await createItems(t, 4);
    // Many pages of documents: the copy commits one page at a time.
    const documents = CLONE_PAGE * 3;
    await createDocuments(t, t.namespaceId, documents, (i) => [1, i % 7, i % 5, 0.5]);
    const other = await createCollection(t.all, admin, t.otherNamespaceId, {
      collectionName: "elsewhere",
      description: "",
      features: [{ featureUri: TEST_FEATURE_URI, dimensions: 4, metric: "cosine" }],
      metadataSchema: undefined,
      indexedFields: [],
    });
    expect(other.ok).toBe(true);

    const accepted = await acceptClone(t.all, admin, t.namespaceId, {
      namespaceName: "big-branch",
      includeWebhooks: false,
    });
    if (!accepted.ok) throw new Error(accepted.error.message);
    const cloneId = accepted.value.namespace.id;
    const written = await createDocument(t.all, admin, t.otherNamespaceId, "elsewhere", {
      documentId: "meanwhile",
      features: { [TEST_FEATURE_URI]: [1, 2, 3, 4] },
      taxonomyLabels: [],
    });
    expect(written.ok).toBe(true);
    // The write is done and readable, and the clone is still copying.
    const during = await cloneStatus(t.all, admin, cloneId);
    expect(during.ok && during.value.status).toBe("cloning");
    expect((await getDocument(t.all, admin, t.otherNamespaceId, "elsewhere", "meanwhile")).ok).toBe(true);

    await t.all.cloneRuns.settled();
    const after = await cloneStatus(t.all, admin, cloneId);
    expect(after.ok && [after.value.status, after.value.progress.documents]).toEqual(["ready", documents]);
  });
});
