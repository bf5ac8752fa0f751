import { type documentV1, tierToProto } from "@strata/proto";
import type { AclInput } from "../document-input.js";
import type { DocumentRecord, StoredVector, TaxonomyLabelRecord } from "../tables.js";

export function vectorsFromProto(
  features: Readonly<Record<string, documentV1.Vector>>,
): Record<string, number[]> {
  const vectors: Record<string, number[]> = {};
  for (const [uri, vector] of Object.entries(features)) vectors[uri] = vector.values;
  return vectors;
}

export function labelsFromProto(labels: readonly documentV1.TaxonomyLabel[]): TaxonomyLabelRecord[] {
  return labels.map((l) => ({ taxonomy_id: l.taxonomyId, label: l.label }));
}

export function aclFromProto(acl: documentV1.DocumentAcl | undefined): AclInput | undefined {
  return acl === undefined
    ? undefined
    : { owner: acl.owner ?? null, read: acl.read, write: acl.write, public: acl.public };
}

/** Vectors are heavy: they travel only when the request asks (include_features); feature_uris always. */
export function documentToProto(
  doc: DocumentRecord,
  vectors: readonly StoredVector[] = [],
): documentV1.Document {
  const features: Record<string, documentV1.Vector> = {};
  for (const f of vectors) features[f.feature_uri] = { values: [...f.vector] };
  return {
    documentId: doc.document_id,
    collectionId: doc.collection_id,
    namespaceId: doc.namespace_id,
    metadata: { ...doc.metadata },
    features,
    featureUris: [...doc.feature_uris],
    ...(doc.text === null ? {} : { text: doc.text }),
    taxonomyLabels: doc.taxonomy_labels.map((l) => ({ taxonomyId: l.taxonomy_id, label: l.label })),
    acl: {
      ...(doc._acl.owner === null ? {} : { owner: doc._acl.owner }),
      read: [...doc._acl.read],
      write: [...doc._acl.write],
      public: doc._acl.public,
    },
    tier: tierToProto(doc.tier),
    tierChangedAt: new Date(doc.tier_changed_at),
    // Where the document started and how it moved between tiers (ADR 0023), beside its own lineage.
    lineage: {
      ...doc.lineage,
      ...(doc.tier_lineage === undefined ? {} : { tiering: { ...doc.tier_lineage } }),
    },
    createdAt: new Date(doc.created_at),
    updatedAt: new Date(doc.updated_at),
  };
}
