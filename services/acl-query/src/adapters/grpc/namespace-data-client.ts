import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { type AppError, err, internal, ok, type Result } from "@strata/errors";
import { clientInterceptors, createChannelOptions, type LocalServices, resultClient } from "@strata/grpc";
import { collectionV1, documentV1, namespaceV1, searchV1 } from "@strata/proto";
import type {
  CollectionInfo,
  DocumentInfo,
  NamespaceData,
  SearchAnswerInfo,
  SearchHitInfo,
  SearchRequest,
} from "../../domain/namespace-data.js";
import { metricOf, tierOf } from "./proto-values.js";

/** The namespace service's largest list page. */
const COLLECTIONS_PER_PAGE = 100;

export interface NamespaceDataClientOptions {
  /** host:port of the namespace service. */
  readonly address: string;
  readonly internalToken: string;
  readonly deadlineMs: number;
  /** This process's local servers (ADR 0010), when the launcher runs several services here. */
  readonly localCalls?: LocalServices;
}

export interface NamespaceDataClient extends NamespaceData {
  close(): void;
}

/** NamespaceData over the namespace service's gRPC API; every call carries the caller. */
export function connectNamespaceData(options: NamespaceDataClientOptions): NamespaceDataClient {
  const clientOptions = {
    interceptors: clientInterceptors({
      internalToken: options.internalToken,
      target: options.address,
      localCalls: options.localCalls,
    }),
    ...createChannelOptions(),
  };
  const credentials = grpc.credentials.createInsecure();
  const channel = new collectionV1.CollectionServiceClient(options.address, credentials, clientOptions);
  // One connection to the namespace service's process, shared by its three services.
  const shared = new grpc.Client(options.address, credentials, {
    ...clientOptions,
    channelOverride: channel.getChannel(),
  });
  const defaults = { deadlineMs: options.deadlineMs, service: "namespace" };
  const collections = resultClient(channel, collectionV1.CollectionServiceService, defaults);
  const documents = resultClient(shared, documentV1.DocumentServiceService, defaults);
  const search = resultClient(shared, searchV1.SearchServiceService, defaults);
  const namespaces = resultClient(shared, namespaceV1.NamespaceServiceService, defaults);

  return {
    async namespaceIsLive(organizationId, namespaceId) {
      const answer = await namespaces.getNamespace(
        { identifier: namespaceId },
        { caller: systemReader(organizationId) },
      );
      if (answer.ok) return ok(true);
      return answer.error.kind === "not_found" ? ok(false) : answer;
    },
    async getCollection(caller, namespaceId, identifier) {
      const answer = await collections.getCollection({ namespaceId, identifier }, { caller });
      if (!answer.ok) return answer;
      const collection = answer.value.collection;
      return collection === undefined ? missing("collection") : ok(collectionInfo(collection));
    },
    async listCollections(caller, namespaceId) {
      const found: CollectionInfo[] = [];
      let cursor = "";
      do {
        const page = await collections.listCollections(
          { namespaceId, limit: COLLECTIONS_PER_PAGE, cursor },
          { caller },
        );
        if (!page.ok) return page;
        found.push(...page.value.collections.map(collectionInfo));
        cursor = page.value.nextCursor;
      } while (cursor !== "");
      return ok(found);
    },
    async getDocument(caller, namespaceId, collectionIdentifier, documentId) {
      const answer = await documents.getDocument(
        { namespaceId, collectionIdentifier, documentId, includeFeatures: true },
        { caller },
      );
      if (!answer.ok) return answer;
      const document = answer.value.document;
      return document === undefined ? missing("document") : ok(documentInfo(document));
    },
    async search(caller: Caller, request: SearchRequest): Promise<Result<SearchAnswerInfo, AppError>> {
      const answer = await search.searchDocuments(
        {
          namespaceId: request.namespaceId,
          collectionIdentifiers: [...request.collectionIds],
          featureUri: request.featureUri,
          vector: [...request.vector],
          topK: request.topK,
          filters: request.filters === null ? undefined : { ...request.filters },
          scoreThreshold: request.scoreThreshold ?? undefined,
          excludeDocumentIds: [...request.excludeDocumentIds],
          includeFeatures: false,
          // Retrievers search hot and warm (the namespace fans out); cold only when asked.
          includeCold: request.includeCold === true,
        },
        { caller },
      );
      if (!answer.ok) return answer;
      const hits: SearchHitInfo[] = [];
      for (const hit of answer.value.hits) {
        if (hit.document === undefined) return missing("search hit's document");
        hits.push({
          documentId: hit.document.documentId,
          collectionId: hit.document.collectionId,
          score: hit.score,
          metadata: hit.document.metadata ?? {},
          sourceTier: tierOf(hit.sourceTier),
        });
      }
      return ok({
        hits,
        coldScanned: answer.value.coldScanned ? answer.value.coldDocumentsScanned : undefined,
      });
    },
    close() {
      // Closes the channel the other clients share too.
      channel.close();
    },
  };
}

/** acl-query itself, reading in one organization: it acts on events, not for a key. */
function systemReader(organizationId: string): Caller {
  return {
    organizationId,
    keyId: "system:acl-query",
    permissions: ["read"],
    namespaces: [],
    roles: [],
    attributes: {},
  };
}

function missing(what: string): Result<never, AppError> {
  return err(internal(`The namespace service answered without a ${what}`));
}

function collectionInfo(collection: collectionV1.Collection): CollectionInfo {
  return {
    collectionId: collection.collectionId,
    collectionName: collection.collectionName,
    features: collection.features.map((f) => ({
      featureUri: f.featureUri,
      dimensions: f.dimensions,
      metric: metricOf(f.metric),
    })),
    indexedFields: [...collection.indexedFields],
  };
}

function documentInfo(document: documentV1.Document): DocumentInfo {
  const features: Record<string, readonly number[]> = {};
  for (const [uri, vector] of Object.entries(document.features)) features[uri] = vector.values;
  return {
    documentId: document.documentId,
    collectionId: document.collectionId,
    namespaceId: document.namespaceId,
    metadata: document.metadata ?? {},
    features,
    tier: tierOf(document.tier),
    createdAt: (document.createdAt ?? new Date(0)).toISOString(),
    updatedAt: (document.updatedAt ?? document.createdAt ?? new Date(0)).toISOString(),
  };
}
