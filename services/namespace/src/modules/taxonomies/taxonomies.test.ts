import { MAX_TAXONOMY_NODES } from "@strata/contracts";
import { newId } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { issuesOf, kindOf, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { createCollection } from "../collections/create-collection.js";
import { updateDocument } from "../documents/change-document.js";
import { createDocument } from "../documents/create-document.js";
import { deleteTaxonomy, updateTaxonomy } from "./change-taxonomy.js";
import { createTaxonomy } from "./create-taxonomy.js";
import { expandTaxonomyFilter } from "./expand-taxonomy.js";
import { getTaxonomy, listTaxonomies } from "./read-taxonomies.js";
import { checkTaxonomyNodes, type TaxonomyNodeInput } from "./taxonomy-input.js";

const animals: TaxonomyNodeInput[] = [
  { label: "animal" },
  { label: "dog", parent: "animal" },
  { label: "poodle", parent: "dog" },
  { label: "cat", parent: "animal" },
  { label: "plant" },
];

function nodeIssues(nodes: readonly TaxonomyNodeInput[]): string[] {
  const issues: { location: string; type: string; message: string }[] = [];
  checkTaxonomyNodes(nodes, issues);
  return issues.map((i) => `${i.location}: ${i.type}`);
}

describe("taxonomy nodes", () => {
  it("accepts a forest and refuses duplicates, unknown parents, cycles, bad labels and too many nodes", () => {
    expect(nodeIssues(animals)).toEqual([]);
    expect(nodeIssues([{ label: "a" }, { label: "a" }])).toEqual(["body.nodes[1].label: duplicate"]);
    expect(nodeIssues([{ label: "a", parent: "ghost" }])).toEqual(["body.nodes[0].parent: unknown_parent"]);
    expect(nodeIssues([{ label: "a", parent: "a" }])).toEqual(["body.nodes: cycle"]);
    expect(
      nodeIssues([
        { label: "r" },
        { label: "a", parent: "c" },
        { label: "b", parent: "a" },
        { label: "c", parent: "b" },
      ]),
    ).toEqual(["body.nodes: cycle"]);
    expect(nodeIssues([{ label: " padded" }, { label: "" }, { label: "x".repeat(129) }])).toHaveLength(3);
    const many = Array.from({ length: MAX_TAXONOMY_NODES + 1 }, (_, i) => ({ label: `n${i}` }));
    expect(nodeIssues(many)).toEqual(["body.nodes: too_many"]);
    const deepChain = Array.from({ length: MAX_TAXONOMY_NODES }, (_, i) =>
      i === 0 ? { label: "n0" } : { label: `n${i}`, parent: `n${i - 1}` },
    );
    expect(nodeIssues(deepChain)).toEqual([]);
  });

  it("expands a node to itself and every descendant, parents first", () => {
    const nodes = animals.map((n) => ({ label: n.label, parent: n.parent ?? null }));
    expect(expandTaxonomyFilter({ nodes }, "animal")).toEqual(["animal", "dog", "cat", "poodle"]);
    expect(expandTaxonomyFilter({ nodes }, "dog")).toEqual(["dog", "poodle"]);
    expect(expandTaxonomyFilter({ nodes }, "plant")).toEqual(["plant"]);
    expect(expandTaxonomyFilter({ nodes }, "fungus")).toEqual([]);
  });
});

describe("taxonomy CRUD", () => {
  it("creates, reads, lists, renames, and refuses removing labels or deleting while documents use them", async () => {
    const t = await testData();
    const admin = callerOf(t.organizationId);
    const created = await createTaxonomy(t.ports, admin, t.namespaceId, {
      taxonomyName: "kinds",
      description: "d",
      nodes: animals,
    });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const id = created.value.id;
    expect(id).toMatch(/^tax_/);
    expect(
      kindOf(
        await createTaxonomy(t.ports, admin, t.namespaceId, {
          taxonomyName: "kinds",
          description: "",
          nodes: [],
        }),
      ),
    ).toBe("already_exists");
    expect(
      kindOf(
        await createTaxonomy(t.ports, admin, t.namespaceId, {
          taxonomyName: "tax_x",
          description: "",
          nodes: [],
        }),
      ),
    ).toBe("validation");
    expect(
      issuesOf(
        await createTaxonomy(t.ports, admin, t.namespaceId, {
          taxonomyName: "c",
          description: "",
          nodes: [{ label: "a", parent: "b" }],
        }),
      ),
    ).toEqual(["body.nodes[0].parent: unknown_parent"]);
    const byName = await getTaxonomy(t.ports, admin, t.namespaceId, "kinds");
    expect(byName.ok ? byName.value.id : undefined).toBe(id);
    expect(kindOf(await getTaxonomy(t.ports, admin, t.otherNamespaceId, id))).toBe("not_found");
    expect(kindOf(await getTaxonomy(t.ports, callerOf(newId("organization")), t.namespaceId, id))).toBe(
      "not_found",
    );
    const listed = await listTaxonomies(t.ports, admin, t.namespaceId, { limit: 10, cursor: undefined });
    expect(listed.ok ? listed.value.taxonomies.map((x) => x.taxonomy_name) : []).toEqual(["kinds"]);

    const collection = await createCollection(t.ports, admin, t.namespaceId, {
      collectionName: "c",
      description: "",
      features: [{ featureUri: "strata://e@v1/o", dimensions: 2, metric: "dot" }],
      metadataSchema: undefined,
      indexedFields: [],
    });
    if (!collection.ok) throw new Error("setup");
    const labelled = await createDocument(t.ports, admin, t.namespaceId, collection.value.id, {
      documentId: "d",
      features: {},
      taxonomyLabels: [{ taxonomy_id: id, label: "poodle" }],
    });
    expect(labelled.ok).toBe(true);
    // The same taxonomy id through another namespace is unknown there.
    const otherCollection = await createCollection(t.ports, admin, t.otherNamespaceId, {
      collectionName: "c",
      description: "",
      features: [{ featureUri: "strata://e@v1/o", dimensions: 2, metric: "dot" }],
      metadataSchema: undefined,
      indexedFields: [],
    });
    if (!otherCollection.ok) throw new Error("setup");
    const foreign = await createDocument(t.ports, admin, t.otherNamespaceId, otherCollection.value.id, {
      features: {},
      taxonomyLabels: [{ taxonomy_id: id, label: "dog" }],
    });
    expect(issuesOf(foreign)).toEqual(["body.taxonomy_labels[0].taxonomy_id: unknown_taxonomy"]);

    const withoutPoodle = animals.filter((n) => n.label !== "poodle");
    expect(kindOf(await updateTaxonomy(t.ports, admin, t.namespaceId, id, { nodes: withoutPoodle }))).toBe(
      "validation",
    );
    const withoutCat = animals.filter((n) => n.label !== "cat");
    const trimmed = await updateTaxonomy(t.ports, admin, t.namespaceId, id, {
      nodes: withoutCat,
      taxonomyName: "species",
    });
    expect(trimmed.ok ? trimmed.value.nodes.map((n) => n.label) : []).toEqual([
      "animal",
      "dog",
      "poodle",
      "plant",
    ]);
    expect(kindOf(await deleteTaxonomy(t.ports, admin, t.namespaceId, id))).toBe("validation");
    await updateDocument(t.ports, admin, t.namespaceId, collection.value.id, "d", { taxonomyLabels: [] });
    const deleted = await deleteTaxonomy(t.ports, admin, t.namespaceId, "species");
    expect(deleted.ok ? deleted.value.id : undefined).toBe(id);
    expect(kindOf(await getTaxonomy(t.ports, admin, t.namespaceId, id))).toBe("not_found");
    const reader = callerOf(t.organizationId, { permissions: ["read"] });
    expect(
      kindOf(
        await createTaxonomy(t.ports, reader, t.namespaceId, {
          taxonomyName: "r",
          description: "",
          nodes: [],
        }),
      ),
    ).toBe("forbidden");
  });
});
