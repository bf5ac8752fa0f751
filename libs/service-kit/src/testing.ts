// Test-only helpers (no vitest import), under their own entry `@strata/service-kit/testing`, so that
// the production entry carries no test code.

import type { Caller } from "@strata/access";
import { createOutboxAppender, OUTBOX_TABLE, OUTBOX_TABLE_SPEC, type OutboxRecord } from "@strata/bus";
import { createMemoryDocStore, type DocStore, type DocStoreSession, type TableSpec } from "@strata/docstore";
import { type AnyEventEnvelope, buildEvent, type EventEnvelope, subjectOf } from "@strata/events";
import type { NatsConnection } from "nats";

/** The ports an outbox service's domain needs; each service's own ports type has this shape. */
export interface OutboxServicePorts {
  readonly store: DocStore;
  readonly appendEvent: (tx: DocStoreSession, event: EventEnvelope) => Promise<void>;
  readonly eventsCommitted: () => void;
  readonly clock: () => Date;
}

export interface TestRuntime {
  readonly ports: OutboxServicePorts;
  readonly store: DocStore;
  /** Moves the clock; it starts at 2030-01-01T00:00:00Z. */
  advance(ms: number): void;
  now(): Date;
  /** Events committed to the outbox, in append order. */
  events(): Promise<AnyEventEnvelope[]>;
  committedNotifications(): number;
}

/** Domain ports on an in-memory store (tables + outbox ensured), a movable clock, counted notifications. */
export async function createTestRuntime(tableSpecs: ReadonlyArray<TableSpec>): Promise<TestRuntime> {
  const store = createMemoryDocStore();
  for (const spec of [...tableSpecs, OUTBOX_TABLE_SPEC]) await store.ensureTable(spec);
  let time = Date.parse("2030-01-01T00:00:00Z");
  let notifications = 0;
  const ports: OutboxServicePorts = {
    store,
    appendEvent: createOutboxAppender(),
    eventsCommitted: () => {
      notifications += 1;
    },
    clock: () => new Date(time),
  };
  return {
    ports,
    store,
    advance: (ms) => {
      time += ms;
    },
    now: () => new Date(time),
    events: async () => {
      const rows = await store
        .table<OutboxRecord>(OUTBOX_TABLE)
        .find({ orderBy: [{ field: "seq", direction: "asc" }] });
      return rows.map((row) => JSON.parse(row.record.envelope) as AnyEventEnvelope);
    },
    committedNotifications: () => notifications,
  };
}

/** An org-wide admin caller for tests; `overrides` narrows it (permissions, namespaces, principal…). */
export function createTestCaller(organizationId: string, overrides: Partial<Caller> = {}): Caller {
  return {
    organizationId,
    keyId: "key_11111111111111111111",
    permissions: ["admin"],
    namespaces: [],
    roles: [],
    attributes: {},
    ...overrides,
  };
}

/** Publishes events onto STRATA_EVENTS as a producer's outbox relay would (pipelined). */
export async function publishEvents(nc: NatsConnection, events: readonly EventEnvelope[]): Promise<void> {
  const js = nc.jetstream();
  const WINDOW = 256;
  for (let i = 0; i < events.length; i += WINDOW) {
    await Promise.all(
      events.slice(i, i + WINDOW).map((e) => js.publish(subjectOf(e), JSON.stringify(e), { msgID: e.id })),
    );
  }
}

/** Polls until `check` holds or the time runs out (waiting for asynchronous work, not timing it). */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The namespace.cloned event the namespace service publishes when a clone of `source` is ready. */
export function namespaceClonedEvent(
  organizationId: string,
  source: string,
  clone: string,
  includeWebhooks = false,
): EventEnvelope<"namespace.cloned"> {
  return buildEvent(
    "namespace.cloned",
    { service: "namespace", organizationId, namespaceId: clone, subject: clone },
    {
      namespace_id: clone,
      organization_id: organizationId,
      namespace_name: `clone-of-${source}`,
      source_namespace_id: source,
      task_id: `tsk_${clone.slice(clone.indexOf("_") + 1)}`,
      include_webhooks: includeWebhooks,
    },
  );
}
