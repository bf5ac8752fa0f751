import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import {
  type AppError,
  alreadyExists,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { checkResourceDescription, checkResourceName } from "@strata/ids";
import { type JsonObject, jsonEqual } from "../../shared/json-value.js";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { DOCUMENTS_TABLE, type DocumentRecord } from "../documents/tables.js";
import { resolveCollection } from "./collection-access.js";
import { checkFeatures, checkIndexedFields, type FeatureInput } from "./collection-input.js";
import { checkMetadataSchema } from "./metadata-schema.js";
import type { CollectionPorts } from "./ports.js";
import { COLLECTIONS_TABLE, type CollectionRecord, type FeatureRecord } from "./tables.js";

/** A schema change re-validates every document in the same transaction, up to this many. */
export const SCHEMA_CHANGE_MAX_DOCUMENTS = 10_000;

export interface CollectionChanges {
  readonly collectionName?: string | undefined;
  readonly description?: string | undefined;
  /** The full new list: existing features must stay as they are; new ones may be added. */
  readonly features?: readonly FeatureInput[] | undefined;
  /** A new schema (replaces the old one); undefined keeps it. */
  readonly metadataSchema?: unknown;
  readonly removeMetadataSchema?: boolean | undefined;
  readonly indexedFields?: readonly string[] | undefined;
}

/**
 * Changes a collection. Existing documents must stay valid: features can only be added (a changed
 * dimension or metric would strand the stored vectors), and a new metadata schema must accept the
 * metadata of every document already in the collection (checked here, refused with the offending
 * documents listed). A change that changes nothing answers the collection as it is.
 */
export async function updateCollection(
  ports: CollectionPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
  changes: CollectionChanges,
): Promise<Result<CollectionRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  if (changes.collectionName !== undefined)
    checkResourceName("collection", "collection_name", changes.collectionName, issues);
  if (changes.description !== undefined) checkResourceDescription(changes.description, issues);
  const features = changes.features === undefined ? undefined : checkFeatures(changes.features, issues);
  if (changes.metadataSchema !== undefined) {
    if (changes.removeMetadataSchema === true) {
      issues.push({
        location: "body.metadata_schema",
        message: "set metadata_schema or remove it, not both",
        type: "conflicting_fields",
      });
    }
    issues.push(...checkMetadataSchema(changes.metadataSchema));
  }
  if (issues.length > 0) return err(validationFailed(issues));
  return retryOnConflict(() =>
    ports.store.transaction<CollectionRecord, AppError | Conflict>(async (tx) => {
      const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
      if (!namespace.ok) return namespace;
      const found = await resolveCollection(tx, namespace.value, identifier);
      if (!found.ok) return found;
      const { record: current, version } = found.value;
      const schema: JsonObject | null =
        changes.removeMetadataSchema === true
          ? null
          : ((changes.metadataSchema as JsonObject | undefined) ?? current.metadata_schema);
      const schemaChanged = !jsonEqual(schema, current.metadata_schema);
      const indexedFields = changes.indexedFields ?? current.indexed_fields;
      const nextFeatures = features ?? current.features;
      const problems: ValidationIssue[] = [];
      if (features !== undefined) checkKeptFeatures(current.features, features, problems);
      if (schemaChanged || changes.indexedFields !== undefined)
        checkIndexedFields(indexedFields, schema, problems);
      if (problems.length === 0 && schemaChanged && schema !== null) {
        const documents = await tx.table<DocumentRecord>(DOCUMENTS_TABLE).find({
          where: { collection_id: current.id },
          limit: SCHEMA_CHANGE_MAX_DOCUMENTS + 1,
        });
        if (documents.length > SCHEMA_CHANGE_MAX_DOCUMENTS) {
          problems.push({
            location: "body.metadata_schema",
            message: `the schema of a collection with more than ${SCHEMA_CHANGE_MAX_DOCUMENTS} documents cannot change yet`,
            type: "too_many_documents",
          });
        } else {
          problems.push(
            ...ports.metadataValidators.checkAgainst(
              schema,
              documents.map((d) => ({
                metadata: d.record.metadata,
                location: `documents[${d.record.document_id}].metadata`,
              })),
            ),
          );
        }
      }
      if (problems.length > 0) {
        return err(validationFailed(problems, "The change would leave the collection's documents invalid"));
      }
      const updated: CollectionRecord = {
        ...current,
        collection_name: changes.collectionName ?? current.collection_name,
        description: changes.description ?? current.description,
        features: nextFeatures,
        metadata_schema: schema,
        schema_version: schemaChanged ? current.schema_version + 1 : current.schema_version,
        indexed_fields: [...indexedFields],
      };
      if (jsonEqual(updated, current)) return ok(current);
      const stamped: CollectionRecord = { ...updated, updated_at: ports.clock().toISOString() };
      const replaced = await tx.table<CollectionRecord>(COLLECTIONS_TABLE).replace(stamped, version);
      if (!replaced.ok) {
        if (replaced.error === "already_exists") {
          return err(alreadyExists("collection", { collection_name: stamped.collection_name }));
        }
        return err(CONFLICT);
      }
      return ok(stamped);
    }),
  );
}

function checkKeptFeatures(
  current: readonly FeatureRecord[],
  next: readonly FeatureRecord[],
  issues: ValidationIssue[],
): void {
  for (const feature of current) {
    const kept = next.find((f) => f.feature_uri === feature.feature_uri);
    if (kept === undefined || kept.dimensions !== feature.dimensions || kept.metric !== feature.metric) {
      issues.push({
        location: "body.features",
        message: `feature ${feature.feature_uri} (${feature.dimensions} dimensions, ${feature.metric}) cannot be removed or changed; features can only be added`,
        type: "feature_changed",
      });
    }
  }
}
