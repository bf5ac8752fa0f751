// Manifests the tests and the benchmark apply.

export const FEATURE = "strata://test@v1/embedding";

/** A manifest touching every kind, with a secret reference, as YAML the way people write it. */
export const SHOP_YAML = `version: "1.0"
metadata:
  name: shop
buckets:
  - name: raw
    description: uploads
collections:
  - name: products
    description: the catalogue
    features:
      - feature_uri: ${FEATURE}
        dimensions: 4
    indexed_fields: [category]
taxonomies:
  - name: topics
    nodes:
      - label: science
      - label: physics
        parent: science
retrievers:
  - name: search
    collections: [products]
    feature_uri: ${FEATURE}
    top_k: 5
webhooks:
  - name: ops
    url: https://hooks.example.com/strata
    events: ["document.*"]
    headers:
      Authorization: \${{ secrets.OPS_TOKEN }}
`;

export const SHOP_SECRETS = { OPS_TOKEN: "Bearer s3cr3t-token" };

/** A manifest of `count` resources: buckets, collections and retrievers in equal parts. */
export function manifestOf(count: number, name = "bench"): Record<string, unknown> {
  const third = Math.floor(count / 3);
  const collections = Array.from({ length: third }, (_, i) => ({
    name: `col-${i}`,
    features: [{ feature_uri: FEATURE, dimensions: 4, metric: "cosine" }],
  }));
  return {
    version: "1.0",
    metadata: { name },
    buckets: Array.from({ length: count - 2 * third }, (_, i) => ({
      name: `bkt-${i}`,
      description: `bucket ${i}`,
    })),
    collections,
    retrievers: Array.from({ length: third }, (_, i) => ({
      name: `ret-${i}`,
      collections: [`col-${i}`],
      feature_uri: FEATURE,
    })),
  };
}

/**
 * The shop plus the kinds that name other resources: an alert on the retriever, ACL rules on the
 * collection, and the namespace's one tiering policy, written as an export writes them.
 */
export const SHOP_WITH_RULES_YAML = `${SHOP_YAML}alerts:
  - name: new-physics
    retriever: search
    query:
      vector: [0.1, 0.2, 0.3, 0.4]
    score_threshold: 0.8
acl_rules:
  - name: public-only
    effect: allow
    condition:
      field: metadata.level
      operator: eq
      value: public
    collections: [products]
  - name: no-drafts
    effect: deny
    condition:
      field: metadata.draft
      operator: eq
      value: true
tiering_policy:
  hot_to_warm_after_days: 30
  warm_to_cold_after_days: 90
  collections: [products]
`;
