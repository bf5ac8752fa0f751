// Helpers for this package's tests only; not exported from index.ts.
import { appendToOutbox, OUTBOX_TABLE, OUTBOX_TABLE_SPEC, type OutboxRecord } from "@strata/bus";
import { createMemoryDocStore, type DocStore } from "@strata/docstore";
import type { AnyEventEnvelope } from "@strata/events";
import type { Caller } from "@strata/grpc";
import type { AuthPorts } from "./ports.js";
import { AUTH_TABLE_SPECS } from "./tables.js";

export interface TestAuth {
  readonly ports: AuthPorts;
  readonly store: DocStore;
  /** Moves the clock; it starts at 2030-01-01T00:00:00Z. */
  advance(ms: number): void;
  now(): Date;
  /** Events committed to the outbox, in append order. */
  events(): Promise<AnyEventEnvelope[]>;
  committedNotifications(): number;
}

export async function testAuth(): Promise<TestAuth> {
  const store = createMemoryDocStore();
  for (const spec of [...AUTH_TABLE_SPECS, OUTBOX_TABLE_SPEC]) await store.ensureTable(spec);
  let time = Date.parse("2030-01-01T00:00:00Z");
  let notifications = 0;
  const ports: AuthPorts = {
    store,
    appendEvent: appendToOutbox,
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

export function adminCaller(organizationId: string, overrides: Partial<Caller> = {}): Caller {
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
