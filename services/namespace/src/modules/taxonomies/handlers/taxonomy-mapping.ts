import type { taxonomyV1 } from "@strata/proto";
import type { TaxonomyRecord } from "../tables.js";
import type { TaxonomyNodeInput } from "../taxonomy-input.js";

export function nodesFromProto(nodes: readonly taxonomyV1.TaxonomyNode[]): TaxonomyNodeInput[] {
  return nodes.map((n) => ({ label: n.label, parent: n.parent }));
}

export function taxonomyToProto(taxonomy: TaxonomyRecord): taxonomyV1.Taxonomy {
  return {
    taxonomyId: taxonomy.id,
    namespaceId: taxonomy.namespace_id,
    taxonomyName: taxonomy.taxonomy_name,
    description: taxonomy.description,
    nodes: taxonomy.nodes.map((n) =>
      n.parent === null ? { label: n.label } : { label: n.label, parent: n.parent },
    ),
    createdAt: new Date(taxonomy.created_at),
    updatedAt: new Date(taxonomy.updated_at),
  };
}
