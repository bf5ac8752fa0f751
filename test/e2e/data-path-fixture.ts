import { expect } from "vitest";
import { type ApiResponse, startTestPlatform, type TestPlatform } from "./harness.js";

/** Shared set-up of the data-path end-to-end tests: a platform, a namespace and a collection. */
export interface Collection {
  collection_id: string;
  namespace_id: string;
  collection_name: string;
  features: Array<{ feature_uri: string; dimensions: number; metric: string }>;
  metadata_schema: Record<string, unknown> | null;
  indexed_fields: string[];
}
// A type alias (not an interface) so it is assignable to the harness's Record-shaped responses.
export type Doc = {
  document_id: string;
  collection_id: string;
  namespace_id: string;
  metadata: Record<string, unknown>;
  feature_uris: string[];
  features?: Record<string, number[]>;
  text: string | null;
  taxonomy_labels: Array<{ taxonomy_id: string; label: string }>;
  _acl: { owner: string | null; read: string[]; write: string[]; public: boolean };
  tier: string;
  tier_changed_at: string | null;
  created_at: string;
  updated_at: string;
};
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
export interface Taxonomy {
  taxonomy_id: string;
  taxonomy_name: string;
  nodes: Array<{ label: string; parent: string | null }>;
}

export const URI = "strata://test@v1/embedding";
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export interface DataPath {
  readonly platform: TestPlatform;
  readonly namespaceId: string;
  readonly collection: Collection;
  /** `/v1/collections/<collection>/documents` followed by `path`. */
  docs(path?: string): string;
  createDoc(body: Record<string, unknown>, namespace?: string): Promise<ApiResponse<Doc>>;
}

export async function startDataPath(): Promise<DataPath> {
  const platform = await startTestPlatform();
  const namespace = await platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
    body: { namespace_name: "data-path" },
  });
  expect(namespace.status).toBe(201);
  const namespaceId = namespace.body.namespace_id;
  const created = await platform.call<Collection>("POST", "/v1/collections", {
    namespace: "data-path",
    body: {
      collection_name: "articles",
      features: [{ feature_uri: URI, dimensions: 3 }],
      metadata_schema: {
        type: "object",
        properties: { year: { type: "integer" }, category: { type: "string" } },
      },
      indexed_fields: ["category"],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const collection = created.body;
  const docs = (path = ""): string => `/v1/collections/${collection.collection_id}/documents${path}`;
  return {
    platform,
    namespaceId,
    collection,
    docs,
    createDoc: (body, namespace = namespaceId) => platform.call<Doc>("POST", docs(), { namespace, body }),
  };
}
