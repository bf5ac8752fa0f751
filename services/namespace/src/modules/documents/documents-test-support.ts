import { type TestData, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { createCollection } from "../collections/create-collection.js";
import { createTaxonomy } from "../taxonomies/create-taxonomy.js";
import type { NewDocumentInput } from "./create-document.js";

/** The collection (two features, a metadata schema, indexed fields) and taxonomy the documents tests write into. */
export const TEXT = "strata://text_extractor@v1/text_embedding";
export const IMAGE = "strata://clip@v1/image";
const schema = {
  type: "object",
  properties: {
    category: { type: "string", enum: ["shoe", "hat"] },
    year: { type: "integer", minimum: 1900 },
    tags: { type: "array", items: { type: "string" } },
    note: { type: "string" },
  },
  required: ["category"],
  additionalProperties: false,
};

export async function setup() {
  const t = await testData();
  const admin = callerOf(t.organizationId);
  const made = await createCollection(t.ports, admin, t.namespaceId, {
    collectionName: "products",
    description: "",
    features: [
      { featureUri: TEXT, dimensions: 3, metric: "cosine" },
      { featureUri: IMAGE, dimensions: 2, metric: "euclidean" },
    ],
    metadataSchema: schema,
    indexedFields: ["category", "year", "tags"],
  });
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  const tax = await createTaxonomy(t.ports, admin, t.namespaceId, {
    taxonomyName: "kinds",
    description: "",
    nodes: [{ label: "clothing" }, { label: "shoe", parent: "clothing" }],
  });
  if (!tax.ok) throw new Error(JSON.stringify(tax.error));
  return { t, admin, collectionId: made.value.id, taxonomyId: tax.value.id };
}

export const doc = (over: Partial<NewDocumentInput> = {}): NewDocumentInput => ({
  metadata: { category: "shoe", year: 2020 },
  features: { [TEXT]: [0.1, 0.2, 0.3] },
  taxonomyLabels: [],
  ...over,
});

export async function documentEvents(t: TestData) {
  return (await t.events()).filter((e) => e.type.startsWith("document."));
}
