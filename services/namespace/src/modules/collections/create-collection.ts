import type { Caller } from "@strata/access";
import {
  type AppError,
  alreadyExists,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { checkResourceDescription, checkResourceName, newId } from "@strata/ids";
import type { JsonObject } from "../../shared/json-value.js";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
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

export async function createCollection(
  ports: CollectionPorts,
  caller: Caller,
  namespaceId: string,
  input: NewCollectionInput,
): Promise<Result<CollectionRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
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
  return ports.store.transaction<CollectionRecord, AppError>(async (tx) => {
    const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
    if (!namespace.ok) return namespace;
    const now = ports.clock().toISOString();
    const record: CollectionRecord = {
      id: newId("collection"),
      organization_id: namespace.value.organization_id,
      namespace_id: namespace.value.id,
      collection_name: input.collectionName,
      description: input.description,
      features,
      metadata_schema: schema,
      schema_version: 1,
      indexed_fields: [...input.indexedFields],
      state: "active",
      created_at: now,
      updated_at: now,
    };
    const inserted = await tx.table<CollectionRecord>(COLLECTIONS_TABLE).insert(record);
    // A fresh random id cannot clash, so a failed insert is the (namespace, name) index.
    if (!inserted.ok) return err(alreadyExists("collection", { collection_name: input.collectionName }));
    return ok(record);
  });
}
