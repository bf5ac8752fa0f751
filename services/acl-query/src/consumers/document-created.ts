import { groupCommit } from "@strata/batching";
import {
  type ConsumerHandle,
  type ConsumerObserver,
  type ConsumerOutcome,
  startEventConsumer,
} from "@strata/bus";
import { isRetryable } from "@strata/errors";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import { evaluateAlertChunk, type NewDocumentEvent } from "../domain/alerts/evaluate-alerts.js";
import type { AclQueryPorts } from "../domain/ports.js";

/** Shared by every acl-query replica: they split the events between them. */
export const DOCUMENT_CREATED_DURABLE = "acl_query_alert_evaluator";

/**
 * Events evaluated together (one read of the namespace's alerts, one search per alert and
 * collection); as many are handled at once, so an ingest fills the chunks. Below the search's
 * top-k limit (1,000): a chunk's documents of one collection are one search's candidates.
 */
const EVALUATION_CHUNK = 256;

/**
 * document.created → alert evaluation. Only new documents: a document written before this
 * consumer first started was never "new" to any alert. The namespace service unavailable: retry
 * with a growing delay; anything else is a bug or a broken contract: dead letter.
 */
export function startDocumentCreatedConsumer(options: {
  readonly nc: NatsConnection;
  readonly ports: AclQueryPorts;
  readonly logger: Logger;
  /** The process's metrics: this durable's backlog and dead letters. */
  readonly observer?: ConsumerObserver;
}): Promise<ConsumerHandle> {
  const { ports, logger } = options;
  const evaluate = groupCommit(
    (events: readonly NewDocumentEvent[]) => evaluateAlertChunk(ports, events),
    EVALUATION_CHUNK,
  );
  return startEventConsumer("document.created", {
    nc: options.nc,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    durable: DOCUMENT_CREATED_DURABLE,
    startAt: "new",
    logger,
    // Alerts do not depend on one another's order: the events of a chunk are evaluated together.
    concurrency: EVALUATION_CHUNK,
    prefetch: EVALUATION_CHUNK,
    handler: async (event): Promise<ConsumerOutcome> => {
      const outcome = await evaluate({ eventId: event.id, data: event.data });
      if (outcome.ok) {
        if (outcome.value.kind === "evaluated" && outcome.value.triggered.length > 0) {
          logger.info(
            { event_id: event.id, alerts: outcome.value.triggered.map((m) => m.alert.id) },
            "alerts triggered",
          );
        }
        return { action: "ack" };
      }
      if (isRetryable(outcome.error.kind)) {
        return { action: "retry" }; // after 1 s, 2 s, 4 s … up to 60 s
      }
      return { action: "dead", reason: `${outcome.error.kind}: ${outcome.error.message}` };
    },
  });
}
