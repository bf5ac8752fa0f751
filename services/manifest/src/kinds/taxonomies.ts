import { ok } from "@strata/errors";
import type { taxonomyV1 } from "@strata/proto";
import { z } from "zod";
import { done, listEveryPage, type OwningServices } from "../adapters/grpc/owning-services.js";
import type { ResourceKind, Spec } from "../domain/ports.js";

const node = z.strictObject({ label: z.string().min(1), parent: z.string().min(1).nullable().default(null) });

const schema = z.strictObject({
  description: z.string().max(1024).default(""),
  /** The labels, each under its parent label (null for a root). */
  nodes: z.array(node).default([]),
});

type TaxonomySpec = z.infer<typeof schema>;

/** Taxonomies (namespace service): labels in a tree, updated in place. */
export function taxonomyKind(services: OwningServices): ResourceKind {
  const client = services.taxonomy;
  const nodesOf = (s: TaxonomySpec): taxonomyV1.TaxonomyNode[] =>
    s.nodes.map((n) => (n.parent === null ? { label: n.label } : { label: n.label, parent: n.parent }));
  return {
    section: "taxonomies",
    order: 30,
    schema,
    replaceReason: () => undefined,
    references: () => [],
    list: ({ caller, namespaceId }) =>
      listEveryPage(async (cursor) => {
        const page = await client.listTaxonomies({ namespaceId, limit: 100, cursor }, { caller });
        if (!page.ok) return page;
        const items = page.value.taxonomies.map((t) => ({
          name: t.taxonomyName,
          spec: {
            description: t.description,
            nodes: t.nodes.map((n) => ({ label: n.label, parent: n.parent ?? null })),
          } satisfies Spec,
        }));
        return ok({ items, next: page.value.nextCursor });
      }),
    create: async ({ caller, namespaceId }, name, spec) => {
      const s = spec as TaxonomySpec;
      return done(
        await client.createTaxonomy(
          { namespaceId, taxonomyName: name, description: s.description, nodes: nodesOf(s) },
          { caller },
        ),
      );
    },
    update: async ({ caller, namespaceId }, name, _before, after) => {
      const s = after as TaxonomySpec;
      return done(
        await client.updateTaxonomy(
          { namespaceId, identifier: name, description: s.description, nodes: { nodes: nodesOf(s) } },
          { caller },
        ),
      );
    },
    remove: async ({ caller, namespaceId }, name) =>
      done(await client.deleteTaxonomy({ namespaceId, identifier: name }, { caller })),
  };
}
