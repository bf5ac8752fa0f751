import { MAX_ACL_ENTRIES, MAX_PRINCIPAL_LENGTH, TIERS, type TierName } from "@strata/contracts";
import { type documentV1, tierFromProto } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, jsonObjectSchema, timestamp } from "./common.js";
import { numberVector } from "./number-vector.js";

export const MAX_FEATURES = 64;

/** Vectors as JSON numbers (JSON has no NaN or Infinity; 1e999 parses to Infinity and is refused). */
export const featureVectorsSchema = z
  .record(z.string().min(1).max(512), numberVector)
  .refine((v) => Object.keys(v).length <= MAX_FEATURES, {
    message: `At most ${MAX_FEATURES} feature vectors`,
  })
  .describe("One vector per declared feature URI");

export const taxonomyLabelSchema = z
  .strictObject({ taxonomy_id: z.string().min(1).max(256), label: z.string().min(1).max(256) })
  .meta({ id: "TaxonomyLabel" });

export const taxonomyLabelsSchema = z.array(taxonomyLabelSchema).max(256);

const principal = z.string().min(1).max(MAX_PRINCIPAL_LENGTH);

export const aclInputSchema = z
  .strictObject({
    owner: principal.optional(),
    read: z.array(principal).max(MAX_ACL_ENTRIES).optional(),
    write: z.array(principal).max(MAX_ACL_ENTRIES).optional(),
    public: z.boolean().optional(),
  })
  .describe("public defaults to false: org keys see the document, principals only through its ACL or a rule");

const aclSchema = z
  .object({
    owner: z.string().nullable(),
    read: z.array(z.string()),
    write: z.array(z.string()),
    public: z.boolean(),
  })
  .meta({ id: "DocumentAcl" });

export const documentSchema = z
  .object({
    document_id: z.string(),
    collection_id: z.string(),
    namespace_id: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    feature_uris: z.array(z.string()),
    features: z
      .record(z.string(), z.array(z.number()))
      .optional()
      .describe("Only with include_features=true"),
    text: z.string().nullable(),
    taxonomy_labels: z.array(z.object({ taxonomy_id: z.string(), label: z.string() })),
    _acl: aclSchema,
    tier: z.enum(TIERS),
    tier_changed_at: timestamp.nullable(),
    lineage: z.record(z.string(), z.unknown()).nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Document" });

export type DocumentView = z.infer<typeof documentSchema>;
export type AclInput = z.infer<typeof aclInputSchema>;

export const metadataSchema = jsonObjectSchema;

export function vectorsToProto(
  features: Readonly<Record<string, number[]>>,
): Record<string, documentV1.Vector> {
  const vectors: Record<string, documentV1.Vector> = {};
  for (const [uri, values] of Object.entries(features)) vectors[uri] = { values };
  return vectors;
}

export function labelsToProto(
  labels: ReadonlyArray<{ taxonomy_id: string; label: string }>,
): documentV1.TaxonomyLabel[] {
  return labels.map((l) => ({ taxonomyId: l.taxonomy_id, label: l.label }));
}

/**
 * `public` left out stays unset: the document service decides the default. One case cannot travel
 * as it was said: a reader list given empty (`read: []`) arrives like no list at all (a repeated
 * field has no presence), so the restriction it states is sent as `public: false`.
 */
export function aclToProto(acl: AclInput): documentV1.DocumentAcl {
  const emptyReadersGiven = acl.read !== undefined && acl.read.length === 0 && acl.owner === undefined;
  const isPublic = acl.public ?? (emptyReadersGiven ? false : undefined);
  return {
    ...(acl.owner === undefined ? {} : { owner: acl.owner }),
    read: acl.read ?? [],
    write: acl.write ?? [],
    ...(isPublic === undefined ? {} : { public: isPublic }),
  };
}

function tierOf(tier: documentV1.Tier): TierName {
  const name = tierFromProto(tier);
  if (name === undefined) throw new Error(`the document service answered tier ${String(tier)}`);
  return name;
}

export function documentView(doc: documentV1.Document | undefined, includeFeatures: boolean): DocumentView {
  if (doc === undefined) throw new Error("the document service answered without a document");
  const created = isoOrNull(doc.createdAt) ?? new Date(0).toISOString();
  const features: Record<string, number[]> = {};
  for (const [uri, vector] of Object.entries(doc.features)) features[uri] = vector.values;
  return {
    document_id: doc.documentId,
    collection_id: doc.collectionId,
    namespace_id: doc.namespaceId,
    metadata: doc.metadata ?? {},
    feature_uris: [...doc.featureUris],
    ...(includeFeatures ? { features } : {}),
    text: doc.text ?? null,
    taxonomy_labels: doc.taxonomyLabels.map((l) => ({ taxonomy_id: l.taxonomyId, label: l.label })),
    _acl: {
      owner: doc.acl?.owner ?? null,
      read: [...(doc.acl?.read ?? [])],
      write: [...(doc.acl?.write ?? [])],
      public: doc.acl?.public ?? false,
    },
    tier: tierOf(doc.tier),
    tier_changed_at: isoOrNull(doc.tierChangedAt),
    lineage: doc.lineage ?? null,
    created_at: created,
    updated_at: isoOrNull(doc.updatedAt) ?? created,
  };
}
