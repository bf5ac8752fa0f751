import { groupCommit } from "@strata/batching";
import { type ConsumerHandle, type ConsumerObserver, startEventConsumer } from "@strata/bus";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";
import type { AccessAggregator } from "../domain/access-aggregator.js";
import { type CreatedDocument, forgetDocument, recordTier, seedCreatedMany } from "../domain/access-rows.js";
import type { TieringPorts } from "../domain/ports.js";

interface ConsumerDeps {
  readonly nc: NatsConnection;
  readonly ports: TieringPorts;
  readonly logger: Logger;
  readonly ackWaitMs: number;
  readonly observer?: ConsumerObserver;
}

function settings(deps: ConsumerDeps, durable: string, concurrency = 1) {
  return {
    nc: deps.nc,
    durable,
    startAt: "all" as const,
    logger: deps.logger,
    ackWaitMs: deps.ackWaitMs,
    concurrency,
    prefetch: concurrency,
    ...(deps.observer === undefined ? {} : { observer: deps.observer }),
  };
}

/**
 * document.accessed → counts gathered in memory; the event is acknowledged once the flush that
 * holds its counts has written them (so many events wait on one flush, hence the concurrency).
 */
export function startAccessConsumer(
  deps: ConsumerDeps & { readonly aggregator: AccessAggregator },
): Promise<ConsumerHandle> {
  return startEventConsumer("document.accessed", {
    ...settings(deps, "tier_migrator_document_accessed", 256),
    handler: async (event) => {
      const { organization_id: organizationId, namespace_id: namespaceId } = event.data;
      const counts = event.data.accesses.map((a) => ({
        organizationId,
        namespaceId,
        collectionId: a.collection_id,
        documentId: a.document_id,
        tier: a.tier,
        reads: a.reads,
        hits: a.hits,
        lastAccessedAt: a.last_accessed_at,
      }));
      try {
        await deps.aggregator.add(counts);
        return { action: "ack" };
      } catch {
        return { action: "retry" };
      }
    },
  });
}

/** Events seeded per transaction; as many are handled at once, so that an ingest fills them. */
const SEED_BATCH = 256;

/**
 * document.created → the document is seeded, idle since its creation, where its namespace has a
 * policy (ADR 0045). The events handled at once are seeded together, in one transaction (group
 * commit); each is acknowledged once it holds.
 */
export function startCreatedConsumer(deps: ConsumerDeps): Promise<ConsumerHandle> {
  const seed = groupCommit(async (created: readonly CreatedDocument[]) => {
    await seedCreatedMany(deps.ports.store, created);
    return created.map(() => undefined);
  }, SEED_BATCH);
  return startEventConsumer("document.created", {
    ...settings(deps, "tier_migrator_document_created", SEED_BATCH),
    handler: async (event) => {
      await seed({ key: keyOf(event.data, event.data.organization_id), createdAt: event.time });
      return { action: "ack" };
    },
  });
}

/** document.deleted → its statistics go. */
export function startDeletedConsumer(deps: ConsumerDeps): Promise<ConsumerHandle> {
  return startEventConsumer("document.deleted", {
    ...settings(deps, "tier_migrator_document_deleted", 8),
    handler: async (event) => {
      await forgetDocument(deps.ports.store, keyOf(event.data, event.data.organization_id));
      return { action: "ack" };
    },
  });
}

/** tier.migrated → each moved document's tier, whoever moved it (a manual move, another replica). */
export function startMigratedConsumer(deps: ConsumerDeps): Promise<ConsumerHandle> {
  return startEventConsumer("tier.migrated", {
    ...settings(deps, "tier_migrator_tier_migrated", 4),
    handler: async (event) => {
      const { organization_id: organizationId, namespace_id: namespaceId, moved_at: movedAt } = event.data;
      for (const move of event.data.moves) {
        const key = {
          organizationId,
          namespaceId,
          collectionId: move.collection_id,
          documentId: move.document_id,
        };
        await recordTier(deps.ports.store, key, move.to_tier, movedAt);
      }
      return { action: "ack" };
    },
  });
}

function keyOf(
  data: { readonly namespace_id: string; readonly collection_id: string; readonly document_id: string },
  organizationId: string,
) {
  return {
    organizationId,
    namespaceId: data.namespace_id,
    collectionId: data.collection_id,
    documentId: data.document_id,
  };
}
