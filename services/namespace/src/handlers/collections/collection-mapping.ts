import { collectionV1 } from "@strata/proto";
import type { FeatureInput } from "../../domain/collections/collection-input.js";
import type { CollectionRecord, FeatureRecord, Metric } from "../../domain/collections/collection-tables.js";

const { DistanceMetric } = collectionV1;

export function metricFromProto(metric: collectionV1.DistanceMetric): Metric | undefined {
  switch (metric) {
    case DistanceMetric.DISTANCE_METRIC_COSINE:
      return "cosine";
    case DistanceMetric.DISTANCE_METRIC_EUCLIDEAN:
      return "euclidean";
    case DistanceMetric.DISTANCE_METRIC_DOT:
      return "dot";
    case DistanceMetric.DISTANCE_METRIC_UNSPECIFIED:
    case DistanceMetric.UNRECOGNIZED:
      return undefined;
  }
}

export function metricToProto(metric: Metric): collectionV1.DistanceMetric {
  switch (metric) {
    case "cosine":
      return DistanceMetric.DISTANCE_METRIC_COSINE;
    case "euclidean":
      return DistanceMetric.DISTANCE_METRIC_EUCLIDEAN;
    case "dot":
      return DistanceMetric.DISTANCE_METRIC_DOT;
  }
}

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
