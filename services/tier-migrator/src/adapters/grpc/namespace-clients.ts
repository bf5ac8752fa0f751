import * as grpc from "@grpc/grpc-js";
import type { MetricName } from "@strata/contracts";
import { err, internal, ok } from "@strata/errors";
import { clientInterceptors, createChannelOptions, type LocalServices, resultClient } from "@strata/grpc";
import { collectionV1, metricFromProto, tierFromProto, tierToProto, tierV1 } from "@strata/proto";
import { connectNamespaceExistence } from "@strata/service-kit";
import type { MoveReason, NamespaceDirectory, TierMover } from "../../domain/ports.js";
import type { Outcome } from "../../domain/tables.js";
import { systemCaller } from "./system-caller.js";

export interface NamespaceClientOptions {
  readonly address: string;
  readonly internalToken: string;
  readonly localCalls?: LocalServices | undefined;
}

const OUTCOMES: Readonly<Record<number, Outcome>> = {
  [tierV1.MoveOutcome.MOVE_OUTCOME_MOVED]: "moved",
  [tierV1.MoveOutcome.MOVE_OUTCOME_UNCHANGED]: "unchanged",
  [tierV1.MoveOutcome.MOVE_OUTCOME_NOT_FOUND]: "not_found",
  [tierV1.MoveOutcome.MOVE_OUTCOME_CONFLICT]: "conflict",
  [tierV1.MoveOutcome.MOVE_OUTCOME_REFUSED]: "refused",
  [tierV1.MoveOutcome.MOVE_OUTCOME_FAILED]: "failed",
};

const REASONS: Readonly<Record<MoveReason, tierV1.MoveReason>> = {
  policy: tierV1.MoveReason.MOVE_REASON_POLICY,
  access: tierV1.MoveReason.MOVE_REASON_ACCESS,
  read: tierV1.MoveReason.MOVE_REASON_READ,
};

const PLACEMENT_PAGE = 1_000;

function channel(options: NamespaceClientOptions) {
  return {
    interceptors: clientInterceptors({
      internalToken: options.internalToken,
      target: options.address,
      localCalls: options.localCalls,
    }),
    ...createChannelOptions(),
  };
}

/** The namespace service's TierService over gRPC (or in-process, ADR 0010). */
export function connectTierMover(options: NamespaceClientOptions): TierMover & { close(): void } {
  const client = new tierV1.TierServiceClient(
    options.address,
    grpc.credentials.createInsecure(),
    channel(options),
  );
  const tiers = resultClient(client, tierV1.TierServiceService, {
    deadlineMs: 120_000,
    service: "namespace",
  });
  return {
    async moveDocuments(organizationId, namespaceId, moves, reason) {
      const answered = await tiers.moveDocuments(
        {
          namespaceId,
          reason: REASONS[reason],
          moves: moves.map((m) => ({
            collectionId: m.collectionId,
            documentId: m.documentId,
            targetTier: tierToProto(m.targetTier),
            expectedTier: tierToProto(m.expectedTier),
          })),
        },
        { caller: systemCaller(organizationId) },
      );
      if (!answered.ok) return answered;
      if (answered.value.results.length !== moves.length) {
        return err(internal("MoveDocuments answered a different number of results"));
      }
      return ok(
        answered.value.results.map((r) => ({
          collectionId: r.collectionId,
          documentId: r.documentId,
          outcome: OUTCOMES[r.outcome] ?? "failed",
          tier: tierFromProto(r.toTier),
        })),
      );
    },
    async tierStats(organizationId, namespaceId) {
      const answered = await tiers.getTierStats({ namespaceId }, { caller: systemCaller(organizationId) });
      if (!answered.ok) return answered;
      return ok(
        answered.value.stats.flatMap((s) => {
          const tier = tierFromProto(s.tier);
          return tier === undefined
            ? []
            : [{ collectionId: s.collectionId, tier, documents: s.documents, vectorBytes: s.vectorBytes }];
        }),
      );
    },
    async listPlacements(organizationId, namespaceId, pageToken) {
      const answered = await tiers.listTierPlacements(
        { namespaceId, pageSize: PLACEMENT_PAGE, pageToken },
        { caller: systemCaller(organizationId) },
      );
      if (!answered.ok) return answered;
      return ok({
        nextPageToken: answered.value.nextPageToken,
        placements: answered.value.placements.flatMap((p) => {
          const tier = tierFromProto(p.tier);
          if (tier === undefined) return [];
          const createdAt = p.createdAt ?? new Date(0);
          return [
            {
              collectionId: p.collectionId,
              documentId: p.documentId,
              tier,
              createdAt,
              tierChangedAt: p.tierChangedAt ?? createdAt,
            },
          ];
        }),
      });
    },
    close: () => client.close(),
  };
}

/** Collections (with their features' metrics) and namespaces, asked of the namespace service. */
export function connectNamespaceDirectory(
  options: NamespaceClientOptions,
): NamespaceDirectory & { close(): void } {
  const client = new collectionV1.CollectionServiceClient(
    options.address,
    grpc.credentials.createInsecure(),
    channel(options),
  );
  const collections = resultClient(client, collectionV1.CollectionServiceService, {
    deadlineMs: 10_000,
    service: "namespace",
  });
  const namespaces = connectNamespaceExistence({ service: "tier-migrator", ...options });
  return {
    async collections(caller, namespaceId) {
      const all = [];
      let cursor = "";
      do {
        const page = await collections.listCollections({ namespaceId, limit: 100, cursor }, { caller });
        if (!page.ok) return page;
        for (const c of page.value.collections) {
          all.push({
            collectionId: c.collectionId,
            collectionName: c.collectionName,
            metrics: c.features.flatMap((f) => {
              const metric: MetricName | undefined = metricFromProto(f.metric);
              return metric === undefined ? [] : [metric];
            }),
          });
        }
        cursor = page.value.nextCursor;
      } while (cursor !== "");
      return ok(all);
    },
    isLive: (organizationId, namespaceId) => namespaces.isLive(organizationId, namespaceId),
    close: () => {
      client.close();
      namespaces.close();
    },
  };
}
