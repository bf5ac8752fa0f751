import { type ConsumerHandle, type ConsumerObserver, startEventConsumer } from "@strata/bus";
import { EVENTS_STREAM, type EventType } from "@strata/events";
import { newId } from "@strata/ids";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import type { VisibilityCache } from "../domain/acl/visibility-cache.js";

const RULE_EVENTS = ["acl_rule.created", "acl_rule.updated", "acl_rule.deleted"] as const;
const PRINCIPAL_EVENTS = ["principal.updated", "principal.deleted"] as const;

/**
 * Every replica drops the compiled filters a rule or principal change makes stale, as soon as the
 * event arrives (ADR 0018). Each replica needs every event, so each gets its own durables, named
 * for this process and starting at new events (a fresh replica has an empty cache), and deletes
 * them when it stops.
 */
export async function startAclInvalidation(options: {
  readonly nc: NatsConnection;
  readonly cache: VisibilityCache;
  readonly logger: Logger;
  readonly observer?: ConsumerObserver;
}): Promise<ConsumerHandle> {
  const { nc, cache, logger } = options;
  const observed = options.observer === undefined ? {} : { observer: options.observer };
  const replica = newId("task").slice(4);
  const durables: string[] = [];
  const handles: ConsumerHandle[] = [];
  const start = async <T extends EventType>(type: T, apply: (data: Record<string, unknown>) => void) => {
    const durable = `acl_query_visibility_${type.replace(".", "_")}_${replica}`;
    durables.push(durable);
    handles.push(
      await startEventConsumer(type, {
        nc,
        durable,
        startAt: "new",
        logger,
        ...observed,
        handler: async (event) => {
          apply(event.data as Record<string, unknown>);
          return { action: "ack" };
        },
      }),
    );
  };
  const stopAll = async () => {
    await Promise.all(handles.map((h) => h.stop()));
    const jsm = await nc.jetstreamManager();
    await Promise.all(durables.map((d) => jsm.consumers.delete(EVENTS_STREAM, d).catch(() => false)));
  };
  try {
    for (const type of RULE_EVENTS) {
      await start(type, (data) => cache.invalidateNamespace(String(data.namespace_id)));
    }
    for (const type of PRINCIPAL_EVENTS) {
      await start(type, (data) =>
        cache.invalidatePrincipal(String(data.organization_id), String(data.principal_id)),
      );
    }
  } catch (error: unknown) {
    await stopAll();
    throw error;
  }
  return { stop: stopAll };
}
