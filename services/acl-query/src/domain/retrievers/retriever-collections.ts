import type { Caller } from "@strata/access";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import type { CollectionInfo, FeatureInfo, NamespaceData } from "../namespace-data.js";
import type { Metric } from "../tables.js";

export interface ResolvedCollections {
  readonly collections: readonly CollectionInfo[];
  /** Ids in the order given, each once. */
  readonly collectionIds: readonly string[];
  readonly dimensions: number;
  readonly metric: Metric;
}

/**
 * Looks each collection up with the namespace service, for the caller (a collection the caller
 * cannot see answers not_found, like a missing one), and checks that each declares the feature
 * with one shared space: the search merges hits by score, which needs one dimension and metric.
 */
export async function resolveRetrieverCollections(
  data: Pick<NamespaceData, "getCollection">,
  caller: Caller,
  namespaceId: string,
  identifiers: readonly string[],
  featureUri: string,
): Promise<Result<ResolvedCollections, AppError>> {
  const collections: CollectionInfo[] = [];
  for (const identifier of identifiers) {
    const found = await data.getCollection(caller, namespaceId, identifier);
    if (!found.ok) return found;
    if (!collections.some((c) => c.collectionId === found.value.collectionId)) collections.push(found.value);
  }
  const issues: ValidationIssue[] = [];
  let space: FeatureInfo | undefined;
  for (const collection of collections) {
    const feature = collection.features.find((f) => f.featureUri === featureUri);
    if (feature === undefined) {
      issues.push({
        location: "body.feature_uri",
        message: `collection ${collection.collectionId} (${collection.collectionName}) does not declare ${featureUri}`,
        type: "feature_not_declared",
      });
    } else if (space === undefined) {
      space = feature;
    } else if (feature.dimensions !== space.dimensions || feature.metric !== space.metric) {
      issues.push({
        location: "body.collection_ids",
        message: `collection ${collection.collectionId} declares ${featureUri} as ${feature.dimensions} dimensions (${feature.metric}), the others as ${space.dimensions} (${space.metric})`,
        type: "feature_mismatch",
      });
    }
  }
  if (issues.length > 0 || space === undefined) {
    return err(validationFailed(issues, "The collections cannot serve this retriever"));
  }
  return ok({
    collections,
    collectionIds: collections.map((c) => c.collectionId),
    dimensions: space.dimensions,
    metric: space.metric,
  });
}
