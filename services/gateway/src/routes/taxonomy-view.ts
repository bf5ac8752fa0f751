import type { taxonomyV1 } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, timestamp } from "./common.js";

export const taxonomySchema = z
  .object({
    taxonomy_id: z.string(),
    namespace_id: z.string(),
    taxonomy_name: z.string(),
    description: z.string(),
    nodes: z.array(
      z.object({ label: z.string(), parent: z.string().nullable().describe("null for a root") }),
    ),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Taxonomy" });

export type TaxonomyView = z.infer<typeof taxonomySchema>;

export function nodesToProto(
  nodes: ReadonlyArray<{ label: string; parent?: string | undefined }>,
): taxonomyV1.TaxonomyNode[] {
  return nodes.map((n) =>
    n.parent === undefined ? { label: n.label } : { label: n.label, parent: n.parent },
  );
}

export function taxonomyView(taxonomy: taxonomyV1.Taxonomy | undefined): TaxonomyView {
  if (taxonomy === undefined) throw new Error("the taxonomy service answered without a taxonomy");
  const created = isoOrNull(taxonomy.createdAt) ?? new Date(0).toISOString();
  return {
    taxonomy_id: taxonomy.taxonomyId,
    namespace_id: taxonomy.namespaceId,
    taxonomy_name: taxonomy.taxonomyName,
    description: taxonomy.description,
    nodes: taxonomy.nodes.map((n) => ({ label: n.label, parent: n.parent ?? null })),
    created_at: created,
    updated_at: isoOrNull(taxonomy.updatedAt) ?? created,
  };
}
