import { MAX_DIMENSIONS, METRICS } from "@strata/contracts";
import { ok } from "@strata/errors";
import { type collectionV1, metricFromProto, metricToProto } from "@strata/proto";
import { z } from "zod";
import { done, eachDone, listEveryPage, type OwningServices } from "../adapters/grpc/owning-services.js";
import { sameValue } from "../domain/canonical.js";
import type { ResourceKind, Spec } from "../domain/ports.js";

const feature = z.strictObject({
  feature_uri: z.string().min(1),
  dimensions: z.number().int().min(1).max(MAX_DIMENSIONS),
  metric: z.enum(METRICS).default("cosine"),
});

const schema = z.strictObject({
  description: z.string().max(1024).default(""),
  features: z.array(feature).default([]),
  metadata_schema: z.record(z.string(), z.unknown()).nullable().default(null),
  indexed_fields: z.array(z.string().min(1)).default([]),
});

type CollectionSpec = z.infer<typeof schema>;

/**
 * Collections (namespace service). Features are vector spaces whose documents exist already: a
 * new feature is added in place, a changed or removed one needs the collection replaced; metadata
 * schema, indexed fields and description are updated in place.
 */
export function collectionKind(services: OwningServices): ResourceKind {
  const client = services.collection;
  return {
    section: "collections",
    order: 20,
    schema,
    replaceReason: (before, after) => {
      const kept = (before as CollectionSpec).features.filter(
        (old) => !(after as CollectionSpec).features.some((f) => sameValue(f, old)),
      );
      return kept.length === 0
        ? undefined
        : `features ${kept.map((f) => f.feature_uri).join(", ")} would be removed or changed; documents hold vectors of them, so features can only be added in place`;
    },
    references: () => [],
    list: ({ caller, namespaceId }) =>
      listEveryPage(async (cursor) => {
        const page = await client.listCollections({ namespaceId, limit: 100, cursor }, { caller });
        if (!page.ok) return page;
        const items = page.value.collections.map((c) => ({ name: c.collectionName, spec: specOf(c) }));
        return ok({ items, next: page.value.nextCursor });
      }),
    create: async ({ caller, namespaceId }, name, spec) =>
      done(await client.createCollection(requestOf(namespaceId, name, spec), { caller })),
    createMany: async ({ caller, namespaceId }, resources) =>
      eachDone(
        await client.createCollections(
          { namespaceId, collections: resources.map(({ name, spec }) => requestOf("", name, spec)) },
          { caller },
        ),
      ),
    update: async ({ caller, namespaceId }, name, _before, after) => {
      const s = after as CollectionSpec;
      return done(
        await client.updateCollection(
          {
            namespaceId,
            identifier: name,
            description: s.description,
            features: { features: s.features.map(featureOf) },
            metadataSchema: s.metadata_schema ?? undefined,
            removeMetadataSchema: s.metadata_schema === null,
            indexedFields: { indexedFields: s.indexed_fields },
          },
          { caller },
        ),
      );
    },
    remove: async ({ caller, namespaceId }, name) =>
      done(await client.deleteCollection({ namespaceId, identifier: name }, { caller })),
  };
}

function requestOf(namespaceId: string, name: string, spec: Spec): collectionV1.CreateCollectionRequest {
  const s = spec as CollectionSpec;
  return {
    namespaceId,
    collectionName: name,
    description: s.description,
    features: s.features.map(featureOf),
    metadataSchema: s.metadata_schema ?? undefined,
    indexedFields: s.indexed_fields,
  };
}

function featureOf(f: CollectionSpec["features"][number]): collectionV1.FeatureSpec {
  return { featureUri: f.feature_uri, dimensions: f.dimensions, metric: metricToProto(f.metric) };
}

function specOf(c: collectionV1.Collection): Spec {
  return {
    description: c.description,
    features: c.features.map((f) => ({
      feature_uri: f.featureUri,
      dimensions: f.dimensions,
      metric: metricFromProto(f.metric) ?? "cosine",
    })),
    metadata_schema: c.metadataSchema ?? null,
    indexed_fields: c.indexedFields,
  };
}
