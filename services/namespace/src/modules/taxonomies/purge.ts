import { ok } from "@strata/errors";
import type { PurgeStep } from "../../shared/purge-step.js";
import type { TaxonomyPorts } from "./ports.js";
import { TAXONOMIES_TABLE } from "./tables.js";

/** A deleted namespace's taxonomies (its documents, which carried their labels, went before). */
export function purgeTaxonomies(ports: TaxonomyPorts): PurgeStep {
  return async (namespaceId) =>
    ok({ taxonomies: await ports.store.table(TAXONOMIES_TABLE).deleteMany({ namespace_id: namespaceId }) });
}
