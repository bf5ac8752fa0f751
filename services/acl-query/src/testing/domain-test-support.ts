import { INBOX_TABLE_SPEC, processOnce } from "@strata/bus";
// Helpers for this package's tests only; not exported from index.ts.

import type { Caller } from "@strata/access";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import { asBound, evaluate, MATCH_NOTHING, parseFilter, readBoundFilter, toPredicate } from "@strata/filter";
import { exactScore } from "@strata/hotindex/scoring";
import { createTestCaller, createTestRuntime, type TestRuntime } from "@strata/service-kit/testing";
import type {
  CollectionInfo,
  DocumentInfo,
  NamespaceData,
  SearchAnswerInfo,
  SearchRequest,
} from "../domain/namespace-data.js";
import type { AclQueryPorts } from "../domain/ports.js";
import { ACL_QUERY_TABLE_SPECS } from "../domain/tables.js";

export const ORG = "org_11111111111111111111";
export const NS = "ns_11111111111111111111";
export const OTHER_NS = "ns_22222222222222222222";

/**
 * The namespace service's answers, in memory: collections and documents per namespace of ORG, an
 * exact search. Enough to test this service's logic; the real one is used by the service tests.
 */
export class MemoryNamespaceData implements NamespaceData {
  readonly collections: Array<CollectionInfo & { namespaceId: string }> = [];
  readonly documents: DocumentInfo[] = [];
  readonly searches: SearchRequest[] = [];
  /** Namespaces that exist (organization ORG); the namespace.deleted consumer checks them. */
  readonly liveNamespaces = new Set<string>();
  /** Set to make every call fail as the namespace service being down would. */
  unavailable = false;

  async namespaceIsLive(organizationId: string, namespaceId: string): Promise<Result<boolean, AppError>> {
    if (this.unavailable) return this.down();
    return ok(organizationId === ORG && this.liveNamespaces.has(namespaceId));
  }

  addCollection(namespaceId: string, collection: CollectionInfo): void {
    this.collections.push({ ...collection, namespaceId });
  }

  addDocument(document: DocumentInfo): void {
    this.documents.push(document);
  }

  private reaches(caller: Caller, namespaceId: string): boolean {
    return (
      caller.organizationId === ORG &&
      (caller.namespaces.length === 0 || caller.namespaces.includes(namespaceId))
    );
  }

  private down(): Result<never, AppError> {
    return err({ kind: "unavailable", message: "The namespace service is unavailable" });
  }

  async getCollection(caller: Caller, namespaceId: string, identifier: string) {
    if (this.unavailable) return this.down();
    const found = this.collections.find(
      (c) =>
        c.namespaceId === namespaceId && (c.collectionId === identifier || c.collectionName === identifier),
    );
    return found === undefined || !this.reaches(caller, namespaceId)
      ? err(notFound("collection", identifier))
      : ok(found);
  }

  async listCollections(caller: Caller, namespaceId: string) {
    if (this.unavailable) return this.down();
    if (!this.reaches(caller, namespaceId)) return err(notFound("namespace", namespaceId));
    return ok(this.collections.filter((c) => c.namespaceId === namespaceId));
  }

  async getDocument(caller: Caller, namespaceId: string, collectionIdentifier: string, documentId: string) {
    if (this.unavailable) return this.down();
    const collection = await this.getCollection(caller, namespaceId, collectionIdentifier);
    if (!collection.ok) return collection;
    const found = this.documents.find(
      (d) =>
        d.namespaceId === namespaceId &&
        d.collectionId === collection.value.collectionId &&
        d.documentId === documentId,
    );
    return found === undefined ? err(notFound("document", documentId)) : ok(found);
  }

  async search(caller: Caller, request: SearchRequest): Promise<Result<SearchAnswerInfo, AppError>> {
    if (this.unavailable) return this.down();
    this.searches.push(request);
    if (!this.reaches(caller, request.namespaceId)) return err(notFound("namespace", request.namespaceId));
    const filter = request.filters === null ? undefined : parseFilter(request.filters);
    if (filter !== undefined && !filter.ok) return filter;
    const bound = filter === undefined ? undefined : asBound(filter.value);
    const matches = bound === undefined ? () => true : toPredicate(bound);
    // As the namespace service does: a principal caller sees what its compiled filter lets through.
    const visibility =
      caller.principalId === undefined
        ? undefined
        : (readBoundFilter(caller.visibility?.filter) ?? MATCH_NOTHING);
    const hits = this.documents
      .filter((d) => d.namespaceId === request.namespaceId && request.collectionIds.includes(d.collectionId))
      .filter((d) => !request.excludeDocumentIds.includes(d.documentId))
      .filter((d) => matches({ document_id: d.documentId, metadata: d.metadata, tier: d.tier }))
      .filter(
        (d) =>
          visibility === undefined ||
          evaluate(visibility, {
            document_id: d.documentId,
            collection_id: d.collectionId,
            metadata: d.metadata,
          }),
      )
      .flatMap((d) => {
        const vector = d.features[request.featureUri];
        if (vector === undefined) return [];
        const score = exactScore("cosine", request.vector, vector);
        if (request.scoreThreshold !== null && score < request.scoreThreshold) return [];
        return [
          {
            documentId: d.documentId,
            collectionId: d.collectionId,
            score,
            metadata: d.metadata,
            sourceTier: d.tier,
          },
        ];
      })
      .sort((a, b) => b.score - a.score);
    return ok({
      hits: hits.slice(0, request.topK),
      coldScanned: request.includeCold === true ? 0 : undefined,
    });
  }
}

export interface TestAclQuery extends TestRuntime {
  readonly ports: AclQueryPorts;
  readonly data: MemoryNamespaceData;
}

export async function testAclQuery(): Promise<TestAclQuery> {
  const runtime = await createTestRuntime([...ACL_QUERY_TABLE_SPECS, INBOX_TABLE_SPEC]);
  const data = new MemoryNamespaceData();
  const store = runtime.store;
  return {
    ...runtime,
    data,
    ports: {
      ...runtime.ports,
      namespaceData: data,
      processOnce: (consumer, eventId, work) => processOnce(store, consumer, eventId, work),
    },
  };
}

export const callerOf = (overrides: Partial<Caller> = {}): Caller => createTestCaller(ORG, overrides);

export function documentOf(
  collectionId: string,
  documentId: string,
  features: Record<string, number[]>,
  metadata: Record<string, unknown> = {},
): DocumentInfo {
  return {
    documentId,
    collectionId,
    namespaceId: NS,
    metadata,
    features,
    tier: "hot",
    createdAt: "2030-01-01T00:00:00.000Z",
    updatedAt: "2030-01-01T00:00:00.000Z",
  };
}
