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
import { jsonEqual } from "../../shared/json-value.js";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { documentsWithLabels } from "../documents/api.js";
import type { TaxonomyPorts } from "./ports.js";
import { TAXONOMIES_TABLE, type TaxonomyRecord } from "./tables.js";
import { resolveTaxonomy } from "./taxonomy-access.js";
import { checkTaxonomyNodes, type TaxonomyNodeInput } from "./taxonomy-input.js";

/** Documents a refused change or delete names (the label index finds them without a document scan). */
const USERS_NAMED = 5;

export interface TaxonomyChanges {
  readonly taxonomyName?: string | undefined;
  readonly description?: string | undefined;
  /** Replaces every node; labels that documents carry must stay. */
  readonly nodes?: readonly TaxonomyNodeInput[] | undefined;
}

export async function updateTaxonomy(
  ports: TaxonomyPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
  changes: TaxonomyChanges,
): Promise<Result<TaxonomyRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  if (changes.taxonomyName !== undefined)
    checkResourceName("taxonomy", "taxonomy_name", changes.taxonomyName, issues);
  if (changes.description !== undefined) checkResourceDescription(changes.description, issues);
  const nodes = changes.nodes === undefined ? undefined : checkTaxonomyNodes(changes.nodes, issues);
  if (issues.length > 0) return err(validationFailed(issues));
  return retryOnConflict(() =>
    ports.store.transaction<TaxonomyRecord, AppError | Conflict>(async (tx) => {
      const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
      if (!namespace.ok) return namespace;
      const found = await resolveTaxonomy(tx, namespace.value, identifier);
      if (!found.ok) return found;
      const { record: current, version } = found.value;
      if (nodes !== undefined) {
        const kept = new Set(nodes.map((n) => n.label));
        const removed = current.nodes.map((n) => n.label).filter((label) => !kept.has(label));
        const users =
          removed.length === 0
            ? []
            : await documentsWithLabels(tx, current.namespace_id, current.id, removed, USERS_NAMED);
        if (users.length > 0) {
          return err(
            validationFailed(
              [
                {
                  location: "body.nodes",
                  message: "labels that documents carry cannot be removed",
                  type: "label_in_use",
                },
                ...users.map((u) => ({
                  location: `collections.${u.collection_id}.documents.${u.document_id}`,
                  message: "carries a label this change removes",
                  type: "label_in_use",
                })),
              ],
              "Documents carry labels this change removes",
            ),
          );
        }
      }
      const updated: TaxonomyRecord = {
        ...current,
        taxonomy_name: changes.taxonomyName ?? current.taxonomy_name,
        description: changes.description ?? current.description,
        nodes: nodes ?? current.nodes,
      };
      if (jsonEqual(updated, current)) return ok(current);
      const stamped: TaxonomyRecord = { ...updated, updated_at: ports.clock().toISOString() };
      const replaced = await tx.table<TaxonomyRecord>(TAXONOMIES_TABLE).replace(stamped, version);
      if (!replaced.ok) {
        if (replaced.error === "already_exists")
          return err(alreadyExists("taxonomy", { taxonomy_name: stamped.taxonomy_name }));
        return err(CONFLICT);
      }
      return ok(stamped);
    }),
  );
}

/** Deletes a taxonomy that no document uses (one in use answers a validation error naming some users). */
export async function deleteTaxonomy(
  ports: TaxonomyPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<TaxonomyRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  return retryOnConflict(() =>
    ports.store.transaction<TaxonomyRecord, AppError | Conflict>(async (tx) => {
      const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
      if (!namespace.ok) return namespace;
      const found = await resolveTaxonomy(tx, namespace.value, identifier);
      if (!found.ok) return found;
      const { record, version } = found.value;
      const users = await documentsWithLabels(tx, record.namespace_id, record.id, undefined, USERS_NAMED);
      if (users.length > 0) {
        return err(
          validationFailed(
            users.map((u) => ({
              location: `collections.${u.collection_id}.documents.${u.document_id}`,
              message: "carries a label of this taxonomy",
              type: "taxonomy_in_use",
            })),
            "Documents carry labels of this taxonomy; remove them first",
          ),
        );
      }
      const deleted = await tx.table<TaxonomyRecord>(TAXONOMIES_TABLE).delete(record.id, version);
      return deleted ? ok(record) : err(CONFLICT);
    }),
  );
}
