import type { Caller } from "@strata/access";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import { checkResourceDescription, checkResourceName, newId } from "@strata/ids";
import { type CreateRecipe, createEach, createOne } from "../../shared/create-many.js";
import type { JsonObject } from "../../shared/json-value.js";
import { checkFeatures, checkIndexedFields, type FeatureInput } from "./collection-input.js";
import { checkMetadataSchema } from "./metadata-schema.js";
import type { CollectionPorts } from "./ports.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "./tables.js";

export interface NewCollectionInput {
  readonly collectionName: string;
  readonly description: string;
  readonly features: readonly FeatureInput[];
  /** Undefined: documents may carry any metadata object. */
  readonly metadataSchema: unknown;
  readonly indexedFields: readonly string[];
}

export function createCollection(
  ports: CollectionPorts,
  caller: Caller,
  namespaceId: string,
  input: NewCollectionInput,
): Promise<Result<CollectionRecord, AppError>> {
  return createOne(ports.store, caller, namespaceId, collectionRecipe(ports), input);
}

/** Many collections in one transaction, each answering on its own (CollectionService.CreateCollections). */
export function createCollections(
  ports: CollectionPorts,
  caller: Caller,
  namespaceId: string,
  inputs: readonly NewCollectionInput[],
): Promise<Result<Result<CollectionRecord, AppError>[], AppError>> {
  return createEach(ports.store, caller, namespaceId, collectionRecipe(ports), inputs);
}

/** The input once checked: its features with defaults filled and its schema read. */
interface CheckedCollection extends NewCollectionInput {
  readonly checkedFeatures: CollectionRecord["features"];
  readonly schema: JsonObject | null;
}

function collectionRecipe(
  ports: CollectionPorts,
): CreateRecipe<NewCollectionInput, CheckedCollection, CollectionRecord> {
  return {
    kind: "collection",
    table: COLLECTIONS_TABLE,
    nameField: "collection_name",
    check: checkCollection,
    build(namespace, input) {
      const { checkedFeatures, schema } = input;
      const now = ports.clock().toISOString();
      return {
        id: newId("collection"),
        organization_id: namespace.organization_id,
        namespace_id: namespace.id,
        collection_name: input.collectionName,
        description: input.description,
        features: checkedFeatures,
        metadata_schema: schema,
        schema_version: 1,
        indexed_fields: [...input.indexedFields],
        state: "active",
        created_at: now,
        updated_at: now,
      };
    },
  };
}

function checkCollection(input: NewCollectionInput): Result<CheckedCollection, AppError> {
  const issues: ValidationIssue[] = [];
  checkResourceName("collection", "collection_name", input.collectionName, issues);
  checkResourceDescription(input.description, issues);
  const features = checkFeatures(input.features, issues);
  let schema: JsonObject | null = null;
  if (input.metadataSchema !== undefined) {
    const schemaIssues = checkMetadataSchema(input.metadataSchema);
    issues.push(...schemaIssues);
    if (schemaIssues.length === 0) schema = input.metadataSchema as JsonObject;
  }
  if (input.metadataSchema === undefined || schema !== null)
    checkIndexedFields(input.indexedFields, schema, issues);
  if (issues.length > 0) return err(validationFailed(issues));
  return ok({ ...input, checkedFeatures: features, schema });
}
