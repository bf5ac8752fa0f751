import { METRICS, type MetricName } from "@strata/contracts";
import { type collectionV1, metricFromProto, metricToProto } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, timestamp } from "./common.js";

export const featureSpecSchema = z
  .object({ feature_uri: z.string(), dimensions: z.number().int(), metric: z.enum(METRICS) })
  .meta({ id: "FeatureSpec" });

export const collectionSchema = z
  .object({
    collection_id: z.string(),
    namespace_id: z.string(),
    collection_name: z.string(),
    description: z.string(),
    features: z.array(featureSpecSchema),
    metadata_schema: z.record(z.string(), z.unknown()).nullable(),
    indexed_fields: z.array(z.string()),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Collection" });

export type CollectionView = z.infer<typeof collectionSchema>;

/** GET /v1/collections/{id} also says how far each feature's vectors are in the hot index. */
export const collectionWithIndexSchema = collectionSchema
  .extend({
    vector_index: z.array(
      z.object({
        feature_uri: z.string(),
        vectors: z.number().int().describe("This collection's vectors of the feature in the hot tier"),
        pending: z
          .number()
          .int()
          .describe(
            "Vectors of the feature (namespace-wide) not yet in the search graph: searchable already, by an exact scan",
          ),
      }),
    ),
  })
  .meta({ id: "CollectionWithIndex" });

/** Cosine when the client names none: the proto's UNSPECIFIED is invalid on purpose. */
function metricOrDefaultToProto(metric: MetricName | undefined): collectionV1.DistanceMetric {
  return metricToProto(metric ?? "cosine");
}

function metricOf(metric: collectionV1.DistanceMetric): MetricName {
  const name = metricFromProto(metric);
  if (name === undefined) throw new Error(`the collection service answered metric ${String(metric)}`);
  return name;
}

export function featuresToProto(
  features: ReadonlyArray<{ feature_uri: string; dimensions: number; metric?: MetricName | undefined }>,
): collectionV1.FeatureSpec[] {
  return features.map((f) => ({
    featureUri: f.feature_uri,
    dimensions: f.dimensions,
    metric: metricOrDefaultToProto(f.metric),
  }));
}

export function collectionView(collection: collectionV1.Collection | undefined): CollectionView {
  if (collection === undefined) throw new Error("the collection service answered without a collection");
  const created = isoOrNull(collection.createdAt) ?? new Date(0).toISOString();
  return {
    collection_id: collection.collectionId,
    namespace_id: collection.namespaceId,
    collection_name: collection.collectionName,
    description: collection.description,
    features: collection.features.map((f) => ({
      feature_uri: f.featureUri,
      dimensions: f.dimensions,
      metric: metricOf(f.metric),
    })),
    metadata_schema: collection.metadataSchema ?? null,
    indexed_fields: [...collection.indexedFields],
    created_at: created,
    updated_at: isoOrNull(collection.updatedAt) ?? created,
  };
}
