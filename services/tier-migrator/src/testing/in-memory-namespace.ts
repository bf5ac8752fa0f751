// Test support: an in-memory implementation of the namespace service's contracts tier-migrator
// uses (TierService, NamespaceService.GetNamespace, CollectionService.ListCollections), served
// over real gRPC. It keeps each tier's copies apart and moves like the real service: copy to the
// target, verify the bytes, switch the pointer (compare-and-set), delete the source, publish
// tier.migrated. Until the namespace side of issue 11 is merged this is what the tests drive.
import { createHash } from "node:crypto";
import type { MetricName, TierName } from "@strata/contracts";
import { err, notFound, ok } from "@strata/errors";
import { buildEvent, type EventEnvelope } from "@strata/events";
import {
  type GrpcServiceRegistration,
  type RunningGrpcServer,
  startGrpcServer,
  unaryWithCaller,
} from "@strata/grpc";
import { newId } from "@strata/ids";
import { createLogger } from "@strata/logger";
import { collectionV1, metricToProto, namespaceV1, tierFromProto, tierToProto, tierV1 } from "@strata/proto";

export interface StoredDocument {
  readonly organizationId: string;
  readonly namespaceId: string;
  readonly collectionId: string;
  readonly documentId: string;
  /** The tier pointer: the one copy searches and reads use. */
  tier: TierName;
  readonly createdAt: Date;
  tierChangedAt: Date;
}

const OUTCOME = tierV1.MoveOutcome;

export function vectorChecksum(vector: Float32Array): string {
  return createHash("sha256")
    .update(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength))
    .digest("hex");
}

export class InMemoryNamespace {
  readonly documents = new Map<string, StoredDocument>();
  /** Each tier's copies of the vectors (archive keeps none). */
  readonly copies: Record<TierName, Map<string, Float32Array>> = {
    hot: new Map(),
    warm: new Map(),
    cold: new Map(),
    archive: new Map(),
  };
  readonly namespaces = new Map<string, { organizationId: string; name: string }>();
  readonly collections = new Map<string, { namespaceId: string; name: string; metric: MetricName }>();
  /** Events the moves published; the test forwards them to NATS when it wants tier.migrated consumed. */
  readonly published: EventEnvelope[] = [];
  /** MoveDocuments calls answered. */
  moveCalls = 0;
  /** Moves carried out per document (`<collection>/<document>`): a move done twice would show. */
  readonly movesOf = new Map<string, number>();
  warmBackend: "embedded" | "s3vectors" = "embedded";
  /** When set, called between the steps of a move (a test's chance to look at the state mid-move). */
  onStep: (() => Promise<void>) | undefined;

  addNamespace(organizationId: string): string {
    const id = newId("namespace");
    this.namespaces.set(id, { organizationId, name: id });
    return id;
  }

  addCollection(namespaceId: string, metric: MetricName = "cosine", name = "c"): string {
    const id = newId("collection");
    this.collections.set(id, { namespaceId, name, metric });
    return id;
  }

  addDocument(
    namespaceId: string,
    collectionId: string,
    vector: Float32Array,
    createdAt: Date,
  ): StoredDocument {
    const ns = this.namespaces.get(namespaceId);
    const doc: StoredDocument = {
      organizationId: ns?.organizationId ?? "",
      namespaceId,
      collectionId,
      documentId: newId("document"),
      tier: "hot",
      createdAt,
      tierChangedAt: createdAt,
    };
    this.documents.set(key(namespaceId, collectionId, doc.documentId), doc);
    this.copies.hot.set(key(namespaceId, collectionId, doc.documentId), vector);
    return doc;
  }

  /** What a search of the namespace returns: each document once, from the tier its pointer names. */
  search(namespaceId: string): string[] {
    const found: string[] = [];
    for (const tier of ["hot", "warm"] as const) {
      for (const id of this.copies[tier].keys()) {
        const doc = this.documents.get(id);
        if (doc?.namespaceId === namespaceId && doc.tier === tier) found.push(doc.documentId);
      }
    }
    return found;
  }

  /** The vector as the pointer's tier holds it (undefined for archive or a lost copy). */
  vectorOf(doc: StoredDocument): Float32Array | undefined {
    return this.copies[doc.tier].get(key(doc.namespaceId, doc.collectionId, doc.documentId));
  }

  private async move(namespaceId: string, m: tierV1.DocumentMove): Promise<tierV1.MoveResult> {
    const id = key(namespaceId, m.collectionId, m.documentId);
    const doc = this.documents.get(id);
    const base = { collectionId: m.collectionId, documentId: m.documentId, message: "" };
    const target = tierFromProto(m.targetTier);
    if (doc === undefined || target === undefined) {
      return { ...base, outcome: OUTCOME.MOVE_OUTCOME_NOT_FOUND, fromTier: 0, toTier: 0 };
    }
    const from = doc.tier;
    const answer = (outcome: tierV1.MoveOutcome, to: TierName = doc.tier) => ({
      ...base,
      outcome,
      fromTier: tierToProto(from),
      toTier: tierToProto(to),
    });
    if (from === target) return answer(OUTCOME.MOVE_OUTCOME_UNCHANGED);
    if (m.expectedTier !== undefined && tierFromProto(m.expectedTier) !== from) {
      return answer(OUTCOME.MOVE_OUTCOME_CONFLICT);
    }
    const collection = this.collections.get(m.collectionId);
    if (target === "warm" && this.warmBackend === "s3vectors" && collection?.metric === "dot") {
      return {
        ...answer(OUTCOME.MOVE_OUTCOME_REFUSED),
        message: "S3 Vectors cannot hold a dot-product feature",
      };
    }
    const source = this.copies[from].get(id);
    if (source === undefined) return answer(OUTCOME.MOVE_OUTCOME_FAILED);
    if (target !== "archive") {
      this.copies[target].set(id, new Float32Array(source));
      await this.onStep?.();
      const copied = this.copies[target].get(id);
      if (copied === undefined || vectorChecksum(copied) !== vectorChecksum(source)) {
        return answer(OUTCOME.MOVE_OUTCOME_FAILED);
      }
    }
    doc.tier = target;
    doc.tierChangedAt = new Date();
    await this.onStep?.();
    // Archive keeps the cold copy's bytes nowhere: the checksum test reads archive as "no vectors".
    this.copies[from].delete(id);
    const moved = `${m.collectionId}/${m.documentId}`;
    this.movesOf.set(moved, (this.movesOf.get(moved) ?? 0) + 1);
    return answer(OUTCOME.MOVE_OUTCOME_MOVED, target);
  }

  private tierService(): tierV1.TierServiceServer {
    return {
      moveDocuments: unaryWithCaller(async (request: tierV1.MoveDocumentsRequest) => {
        this.moveCalls++;
        const results: tierV1.MoveResult[] = [];
        for (const m of request.moves) results.push(await this.move(request.namespaceId, m));
        const moves = results.filter((r) => r.outcome === OUTCOME.MOVE_OUTCOME_MOVED);
        const ns = this.namespaces.get(request.namespaceId);
        if (moves.length > 0 && ns !== undefined) {
          this.published.push(
            buildEvent(
              "tier.migrated",
              {
                service: "namespace",
                organizationId: ns.organizationId,
                namespaceId: request.namespaceId,
                subject: request.namespaceId,
                time: new Date(),
              },
              {
                namespace_id: request.namespaceId,
                organization_id: ns.organizationId,
                reason: "policy",
                moved_at: new Date().toISOString(),
                moves: moves.map((r) => ({
                  collection_id: r.collectionId,
                  document_id: r.documentId,
                  from_tier: tierFromProto(r.fromTier) ?? "hot",
                  to_tier: tierFromProto(r.toTier) ?? "hot",
                })),
              },
            ),
          );
        }
        return ok({ results });
      }),
      getTierStats: unaryWithCaller(async (request: tierV1.GetTierStatsRequest) => {
        const stats = new Map<string, tierV1.CollectionTierStats>();
        for (const [id, doc] of this.documents) {
          if (doc.namespaceId !== request.namespaceId) continue;
          const k = `${doc.collectionId}/${doc.tier}`;
          const bytes = this.copies[doc.tier].get(id)?.byteLength ?? 0;
          const s = stats.get(k) ?? {
            collectionId: doc.collectionId,
            tier: tierToProto(doc.tier),
            documents: 0,
            vectorBytes: 0,
          };
          stats.set(k, { ...s, documents: s.documents + 1, vectorBytes: s.vectorBytes + bytes });
        }
        return ok({ stats: [...stats.values()] });
      }),
      listTierPlacements: unaryWithCaller(async (request: tierV1.ListTierPlacementsRequest) => {
        const all = [...this.documents.values()]
          .filter((d) => d.namespaceId === request.namespaceId)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
        const start = request.pageToken === "" ? 0 : Number(request.pageToken);
        const size = request.pageSize > 0 ? request.pageSize : 100;
        const page = all.slice(start, start + size);
        return ok({
          placements: page.map((d) => ({
            collectionId: d.collectionId,
            documentId: d.documentId,
            tier: tierToProto(d.tier),
            createdAt: d.createdAt,
            tierChangedAt: d.tierChangedAt,
          })),
          nextPageToken: start + size < all.length ? String(start + size) : "",
        });
      }),
    };
  }

  private lookups(): GrpcServiceRegistration[] {
    // Only the methods tier-migrator calls; grpc-js answers UNIMPLEMENTED for the rest.
    const namespaces: Partial<namespaceV1.NamespaceServiceServer> = {
      getNamespace: unaryWithCaller(async (request: namespaceV1.GetNamespaceRequest, { caller }) => {
        const ns = this.namespaces.get(request.identifier);
        if (ns === undefined || ns.organizationId !== caller.organizationId) {
          return err(notFound("namespace", request.identifier));
        }
        const now = new Date();
        return ok({
          namespace: {
            namespaceId: request.identifier,
            organizationId: ns.organizationId,
            namespaceName: ns.name,
            description: "",
            createdAt: now,
            updatedAt: now,
          },
        });
      }),
    };
    const collections: Partial<collectionV1.CollectionServiceServer> = {
      listCollections: unaryWithCaller(async (request: collectionV1.ListCollectionsRequest, { caller }) => {
        const ns = this.namespaces.get(request.namespaceId);
        if (ns === undefined || ns.organizationId !== caller.organizationId) {
          return err(notFound("namespace", request.namespaceId));
        }
        const now = new Date();
        return ok({
          nextCursor: "",
          collections: [...this.collections]
            .filter(([, c]) => c.namespaceId === request.namespaceId)
            .map(([collectionId, c]) => ({
              collectionId,
              namespaceId: c.namespaceId,
              collectionName: c.name,
              description: "",
              features: [
                { featureUri: "strata://test@v1/embedding", dimensions: 4, metric: metricToProto(c.metric) },
              ],
              indexedFields: [],
              createdAt: now,
              updatedAt: now,
            })),
        });
      }),
    };
    return [
      {
        name: "strata.namespace.v1.NamespaceService",
        definition: namespaceV1.NamespaceServiceService,
        implementation: namespaces as namespaceV1.NamespaceServiceServer,
      },
      {
        name: "strata.namespace.v1.CollectionService",
        definition: collectionV1.CollectionServiceService,
        implementation: collections as collectionV1.CollectionServiceServer,
      },
    ];
  }

  serve(internalToken: string): Promise<RunningGrpcServer> {
    return startGrpcServer({
      serviceName: "in-memory-namespace",
      host: "127.0.0.1",
      port: 0,
      internalToken,
      logger: createLogger({ service: "in-memory-namespace", level: "silent" }),
      services: [
        {
          name: "strata.namespace.v1.TierService",
          definition: tierV1.TierServiceService,
          implementation: this.tierService(),
        },
        ...this.lookups(),
      ],
    });
  }
}

function key(namespaceId: string, collectionId: string, documentId: string): string {
  return `${namespaceId}/${collectionId}/${documentId}`;
}
