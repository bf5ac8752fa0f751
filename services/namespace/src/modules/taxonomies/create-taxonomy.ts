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
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import type { TaxonomyPorts } from "./ports.js";
import { TAXONOMIES_TABLE, type TaxonomyRecord } from "./tables.js";
import { checkTaxonomyNodes, type TaxonomyNodeInput } from "./taxonomy-input.js";

export interface NewTaxonomyInput {
  readonly taxonomyName: string;
  readonly description: string;
  readonly nodes: readonly TaxonomyNodeInput[];
}

export async function createTaxonomy(
  ports: TaxonomyPorts,
  caller: Caller,
  namespaceId: string,
  input: NewTaxonomyInput,
): Promise<Result<TaxonomyRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  checkResourceName("taxonomy", "taxonomy_name", input.taxonomyName, issues);
  checkResourceDescription(input.description, issues);
  const nodes = checkTaxonomyNodes(input.nodes, issues);
  if (issues.length > 0) return err(validationFailed(issues));
  return ports.store.transaction<TaxonomyRecord, AppError>(async (tx) => {
    const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
    if (!namespace.ok) return namespace;
    const now = ports.clock().toISOString();
    const record: TaxonomyRecord = {
      id: newId("taxonomy"),
      organization_id: namespace.value.organization_id,
      namespace_id: namespace.value.id,
      taxonomy_name: input.taxonomyName,
      description: input.description,
      nodes,
      created_at: now,
      updated_at: now,
    };
    const inserted = await tx.table<TaxonomyRecord>(TAXONOMIES_TABLE).insert(record);
    if (!inserted.ok) return err(alreadyExists("taxonomy", { taxonomy_name: input.taxonomyName }));
    return ok(record);
  });
}
