import { type collectionV1, metricFromProto, metricToProto } from "@strata/proto";
import type { FeatureInput } from "../collection-input.js";
import type { CollectionRecord, FeatureRecord } from "../tables.js";

export function featuresFromProto(features: readonly collectionV1.FeatureSpec[]): FeatureInput[] {
  return features.map((f) => ({
    featureUri: f.featureUri,
    dimensions: f.dimensions,
    metric: metricFromProto(f.metric),
  }));
}

function featureToProto(feature: FeatureRecord): collectionV1.FeatureSpec {
  return {
    featureUri: feature.feature_uri,
    dimensions: feature.dimensions,
    metric: metricToProto(feature.metric),
  };
}

export function collectionToProto(collection: CollectionRecord): collectionV1.Collection {
  return {
    collectionId: collection.id,
    namespaceId: collection.namespace_id,
    collectionName: collection.collection_name ?? collection.deleting_name ?? "",
    description: collection.description,
    features: collection.features.map(featureToProto),
    ...(collection.metadata_schema === null ? {} : { metadataSchema: { ...collection.metadata_schema } }),
    indexedFields: [...collection.indexed_fields],
    createdAt: new Date(collection.created_at),
    updatedAt: new Date(collection.updated_at),
  };
}
