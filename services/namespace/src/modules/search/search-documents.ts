import type { Caller } from "@strata/access";
import { MAX_RETRIEVER_COLLECTIONS, parseFeatureUri } from "@strata/contracts";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import { and, type BoundFilterNode } from "@strata/filter";
import { canSee, visibilityFilter } from "../../shared/document-visibility.js";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import type { VectorSearch } from "../../shared/vectors/document-vectors.js";
import { resolveCollection } from "../collections/api.js";
import type { CollectionRecord, FeatureRecord } from "../collections/tables.js";
import { compileDocumentFilter } from "../documents/api.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey, type Tier } from "../documents/tables.js";
import type { SearchPorts } from "./ports.js";
import { searchTiers, type TierHit } from "./search-tiers.js";

// A search serves one retriever, so it takes as many collections as a retriever may name.
export const MAX_SEARCH_COLLECTIONS = MAX_RETRIEVER_COLLECTIONS;

export interface SearchRequest {
  readonly collectionIdentifiers: readonly string[];
  readonly featureUri: string;
  readonly vector: readonly number[];
  readonly topK: number;
  /** The filter language's JSON form; undefined = every document. */
  readonly filters?: unknown;
  readonly scoreThreshold?: number | undefined;
  readonly excludeDocumentIds?: readonly string[];
  /** Scan the cold tier too (slow). */
  readonly includeCold?: boolean;
}

export interface SearchHit {
  readonly document: DocumentRecord;
  readonly score: number;
  readonly sourceTier: Tier;
}

export interface SearchAnswer {
  readonly hits: SearchHit[];
  /** How many cold documents were scanned; undefined when the cold tier was not. */
  readonly coldScanned: number | undefined;
}

/**
 * The top-k documents of the named collections nearest to `vector` in one feature's space, best
 * first, from every tier at once (ADR 0023): hot and warm are asked in parallel (cold too, by a
 * scan, when the request says so), each with the same filter (the caller's ACL visibility
 * included) applied inside it, and their hits merged by score. Each hit is then re-read from the
 * document store and kept only if the document's pointer names the tier it came from: that drops
 * a vector whose document is gone (an orphan), and keeps one of the two copies of a document
 * caught mid-move (de-duplication by collection and document). Archived documents have no vectors
 * anywhere, so they never appear.
 */
export async function searchDocuments(
  ports: SearchPorts,
  caller: Caller,
  namespaceId: string,
  request: SearchRequest,
): Promise<Result<SearchAnswer, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  checkShape(request, ports.vectors.maxK, issues);
  if (issues.length > 0) return err(validationFailed(issues, "Search is invalid"));
  const namespace = await resolveNamespaceScope(ports.store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const collections: CollectionRecord[] = [];
  for (const identifier of new Set(request.collectionIdentifiers)) {
    const found = await resolveCollection(ports.store, namespace.value, identifier);
    if (!found.ok) return found;
    collections.push(found.value.record);
  }
  const feature = sharedFeature(collections, request, issues);
  if (feature === undefined) return err(validationFailed(issues, "Search is invalid"));
  let filter: BoundFilterNode | undefined;
  if (request.filters !== undefined) {
    const compiled = await compileDocumentFilter(
      ports.store,
      namespace.value,
      collections,
      request.filters,
      caller,
    );
    if (!compiled.ok) return compiled;
    filter = compiled.value;
  }
  // The caller's ACL filter runs inside every tier with the retriever's (ADR 0018): the top-k is
  // taken among visible documents only, so a selective ACL costs no recall.
  const visibility = visibilityFilter(caller, namespace.value.id);
  if (visibility !== undefined) filter = filter === undefined ? visibility : and<never>(filter, visibility);
  const excluded = new Set(request.excludeDocumentIds ?? []);
  let query: VectorSearch = {
    namespaceId: namespace.value.id,
    collectionIds: collections.map((c) => c.id),
    feature,
    vector: request.vector,
    // Asking for the excluded ones too keeps k results when they are among the nearest.
    k: Math.min(ports.vectors.maxK, request.topK + excluded.size),
    ...(filter === undefined ? {} : { filter }),
    ...(request.scoreThreshold === undefined ? {} : { scoreThreshold: request.scoreThreshold }),
  };
  for (;;) {
    const tiered = await searchTiers(ports, query, request.includeCold === true);
    if (!tiered.ok) return tiered;
    const candidates = tiered.value.hits.filter((h) => !excluded.has(h.documentId));
    const results = await visibleHits(ports.store, caller, namespace.value.id, candidates, request.topK);
    // Hits the re-check dropped (a vector that outlived its record, a payload behind its record)
    // leave fewer than top_k while a tier that answered k may hold more: ask the tiers for more.
    if (
      results.length < request.topK &&
      query.k < ports.vectors.maxK &&
      anyTierFull(tiered.value.hits, query.k)
    ) {
      query = { ...query, k: Math.min(ports.vectors.maxK, query.k * 2) };
      continue;
    }
    ports.recordAccess.hits(results.map((r) => r.document));
    return ok({ hits: results, coldScanned: tiered.value.coldScanned });
  }
}

function anyTierFull(hits: readonly TierHit[], k: number): boolean {
  const perTier = new Map<string, number>();
  for (const hit of hits) perTier.set(hit.tier, (perTier.get(hit.tier) ?? 0) + 1);
  return [...perTier.values()].some((n) => n >= k);
}

/**
 * The first `topK` candidates whose document is still there, in this namespace, on the tier the hit
 * came from and visible to the caller, best first. The records are read the next `topK − found`
 * candidates at a time, each round one store query: usually a single round.
 */
async function visibleHits(
  store: SearchPorts["store"],
  caller: Caller,
  namespaceId: string,
  candidates: readonly TierHit[],
  topK: number,
): Promise<SearchHit[]> {
  const documents = store.table<DocumentRecord>(DOCUMENTS_TABLE);
  const results: SearchHit[] = [];
  const seen = new Set<string>();
  for (let next = 0; results.length < topK && next < candidates.length; ) {
    const round = candidates.slice(next, next + topK - results.length);
    next += round.length;
    const keys = round.map((hit) => documentKey(hit.collectionId, hit.documentId));
    const read = await documents.find({ where: { id: { $in: [...new Set(keys)] } } });
    const records = new Map(read.map(({ record }) => [record.id, record]));
    round.forEach((hit, i) => {
      const key = keys[i] as string;
      const record = records.get(key);
      if (
        results.length >= topK ||
        seen.has(key) ||
        record === undefined ||
        record.namespace_id !== namespaceId ||
        record.tier !== hit.tier ||
        // The final top-k is re-checked against the record itself: an ACL changed after the vector
        // was written (or a payload behind its record) never shows a hidden document.
        !canSee(caller, namespaceId, record)
      )
        return;
      seen.add(key);
      results.push({ document: record, score: hit.score, sourceTier: hit.tier });
    });
  }
  return results;
}

function checkShape(request: SearchRequest, maxK: number, issues: ValidationIssue[]): void {
  const { collectionIdentifiers: ids } = request;
  if (ids.length === 0 || ids.length > MAX_SEARCH_COLLECTIONS) {
    issues.push({
      location: "body.collection_ids",
      message: `name 1..${MAX_SEARCH_COLLECTIONS} collections to search`,
      type: "out_of_range",
    });
  }
  if (!Number.isInteger(request.topK) || request.topK < 1 || request.topK > maxK) {
    issues.push({
      location: "body.top_k",
      message: `top_k must be an integer in 1..${maxK}`,
      type: "out_of_range",
    });
  }
  const bad = request.vector.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
  if (bad >= 0) {
    issues.push({
      location: `body.query.vector[${bad}]`,
      message: "vector values must be finite numbers (no NaN or Infinity)",
      type: "not_finite",
    });
  }
  if (request.scoreThreshold !== undefined && !Number.isFinite(request.scoreThreshold)) {
    issues.push({ location: "body.score_threshold", message: "must be a finite number", type: "not_finite" });
  }
}

/** The feature every searched collection declares, with one shape, matching the vector's length. */
function sharedFeature(
  collections: readonly CollectionRecord[],
  request: SearchRequest,
  issues: ValidationIssue[],
): FeatureRecord | undefined {
  const uri = parseFeatureUri(request.featureUri)?.uri;
  const declared = collections.map((c) => c.features.find((f) => f.feature_uri === uri));
  const [first] = declared;
  const missing = collections.filter((_, i) => declared[i] === undefined);
  if (uri === undefined || first === undefined || missing.length > 0) {
    issues.push({
      location: "body.feature_uri",
      message: `feature ${JSON.stringify(request.featureUri)} is not declared by ${missing.map((c) => c.id).join(", ") || "the collections"}`,
      type: "unknown_feature",
    });
    return undefined;
  }
  if (declared.some((f) => f?.dimensions !== first.dimensions || f?.metric !== first.metric)) {
    issues.push({
      location: "body.collection_ids",
      message: `the collections declare ${uri} with different dimensions or metrics; search them one at a time`,
      type: "incompatible_features",
    });
    return undefined;
  }
  if (request.vector.length !== first.dimensions) {
    issues.push({
      location: "body.query.vector",
      message: `expected ${first.dimensions} numbers for ${uri}, got ${request.vector.length}`,
      type: "dimension_mismatch",
    });
    return undefined;
  }
  return first;
}
