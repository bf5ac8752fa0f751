import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { err, ok } from "@strata/errors";
import { EVENTS_STREAM, subjectOf } from "@strata/events";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import type { NatsConnection } from "nats";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectNats } from "./connect.js";
import { createOutboxAppender, OUTBOX_TABLE, OUTBOX_TABLE_SPEC, type OutboxRecord } from "./outbox.js";
import { OutboxRelay } from "./outbox-relay.js";
import { ensureEventStream } from "./streams.js";
import {
  countOnStream,
  namespaceCreatedEvent,
  newNamespaceId,
  recordingLogger,
  sleep,
  waitFor,
} from "./test-support.js";

describe("outbox and relay", () => {
  const appendToOutbox = createOutboxAppender();
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let dir: TempDir;
  let store: DocStore;
  const relays: OutboxRelay[] = [];

  const startRelay = (options: { batchSize?: number } = {}): OutboxRelay => {
    const relay = new OutboxRelay({ store, nc, logger: recordingLogger(), pollIntervalMs: 100, ...options });
    relays.push(relay);
    relay.start();
    return relay;
  };
  const pending = () => store.table<OutboxRecord>(OUTBOX_TABLE).count();

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ servers: server.url, name: "outbox-test" });
    await ensureEventStream(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });
  beforeEach(async () => {
    dir = await tempDir("bus-outbox");
    store = await openSqliteDocStore({ path: `${dir.path}/store.db` });
    await store.ensureTable(OUTBOX_TABLE_SPEC);
    await store.ensureTable({ name: "namespaces" });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await store.close();
    await dir.remove();
  });

  it("publishes an event of a committed transaction exactly once, and never one that rolled back", async () => {
    const relay = startRelay();
    const ns = newNamespaceId();
    const committed = namespaceCreatedEvent(ns, "kept");
    const rolledBack = namespaceCreatedEvent(newNamespaceId(), "gone");
    const thrown = namespaceCreatedEvent(newNamespaceId(), "boom");

    const r1 = await store.transaction(async (tx) => {
      await tx.table<{ id: string; name: string }>("namespaces").insert({ id: ns, name: "kept" });
      await appendToOutbox(tx, committed);
      return ok(undefined);
    });
    expect(r1.ok).toBe(true);
    relay.notify();
    const r2 = await store.transaction(async (tx) => {
      await appendToOutbox(tx, rolledBack);
      return err("conflict");
    });
    expect(r2).toEqual(err("conflict"));
    await expect(
      store.transaction(async (tx) => {
        await appendToOutbox(tx, thrown);
        throw new Error("bug");
      }),
    ).rejects.toThrow("bug");
    relay.notify();

    await waitFor(async () => (await pending()) === 0);
    await waitFor(async () => (await countOnStream(nc, EVENTS_STREAM, subjectOf(committed))) === 1);
    await sleep(300); // a few more polls: nothing else may appear
    expect(await countOnStream(nc, EVENTS_STREAM, subjectOf(committed))).toBe(1);
    expect(await countOnStream(nc, EVENTS_STREAM, subjectOf(rolledBack))).toBe(0);
    expect(await countOnStream(nc, EVENTS_STREAM, subjectOf(thrown))).toBe(0);
    expect(await store.table("namespaces").get(ns)).toBeDefined();
  });

  it("stores the event id, subject, envelope and order in the outbox row", async () => {
    const a = namespaceCreatedEvent(newNamespaceId());
    const b = namespaceCreatedEvent(newNamespaceId());
    await store.transaction(async (tx) => {
      await appendToOutbox(tx, a);
      await appendToOutbox(tx, b);
      return ok(undefined);
    });
    const rows = await store
      .table<OutboxRecord>(OUTBOX_TABLE)
      .find({ orderBy: [{ field: "seq", direction: "asc" }] });
    expect(rows.map((r) => r.record.id)).toEqual([a.id, b.id]);
    expect(rows[0]?.record.subject).toBe(subjectOf(a));
    expect(JSON.parse(rows[0]?.record.envelope ?? "null")).toEqual(a);
    expect(rows[0]?.record.traceparent).toBeUndefined();
  });

  it("orders events appended within one millisecond as they were appended", async () => {
    const events = Array.from({ length: 200 }, () => namespaceCreatedEvent(newNamespaceId()));
    await store.transaction(async (tx) => {
      for (const e of events) await appendToOutbox(tx, e);
      return ok(undefined);
    });
    const rows = await store
      .table<OutboxRecord>(OUTBOX_TABLE)
      .find({ orderBy: [{ field: "seq", direction: "asc" }] });
    expect(rows.map((r) => r.record.id)).toEqual(events.map((e) => e.id));
    expect(new Set(rows.map((r) => r.record.seq)).size).toBe(events.length);
  });

  it("a restarted relay that publishes the same rows again leaves each event once on the stream", async () => {
    const ns = newNamespaceId();
    const events = Array.from({ length: 300 }, (_, i) => namespaceCreatedEvent(ns, `n${i}`));
    await store.transaction(async (tx) => {
      for (const e of events) await appendToOutbox(tx, e);
      return ok(undefined);
    });
    // What a relay that crashed after publishing, before deleting, would leave behind.
    const snapshot = await store.table<OutboxRecord>(OUTBOX_TABLE).find();
    const first = startRelay({ batchSize: 64 });
    await waitFor(async () => (await pending()) === 0);
    await first.stop();
    for (const row of snapshot) {
      expect((await store.table<OutboxRecord>(OUTBOX_TABLE).insert(row.record)).ok).toBe(true);
    }
    expect(await pending()).toBe(events.length);
    startRelay({ batchSize: 64 });
    await waitFor(async () => (await pending()) === 0);
    expect(await countOnStream(nc, EVENTS_STREAM, `strata.evt.${ns}.>`)).toBe(events.length);
  });

  it("several relays on one store put each event on the stream once", async () => {
    const ns = newNamespaceId();
    const events = Array.from({ length: 500 }, (_, i) => namespaceCreatedEvent(ns, `n${i}`));
    const relayA = startRelay({ batchSize: 50 });
    const relayB = startRelay({ batchSize: 50 });
    for (let i = 0; i < events.length; i += 10) {
      await store.transaction(async (tx) => {
        for (const e of events.slice(i, i + 10)) await appendToOutbox(tx, e);
        return ok(undefined);
      });
      relayA.notify();
      relayB.notify();
    }
    await waitFor(async () => (await pending()) === 0);
    expect(await countOnStream(nc, EVENTS_STREAM, `strata.evt.${ns}.>`)).toBe(events.length);
  });

  it("keeps rows while NATS is down and publishes them when it is back", async () => {
    const ns = newNamespaceId();
    const logger = recordingLogger();
    const relay = new OutboxRelay({
      store,
      nc,
      logger,
      pollIntervalMs: 100,
      publishTimeoutMs: 500,
      retryBackoff: { initialMs: 50, maxMs: 200 },
    });
    relays.push(relay);
    relay.start();
    await server.kill();
    const event = namespaceCreatedEvent(ns);
    await store.transaction(async (tx) => {
      await appendToOutbox(tx, event);
      return ok(undefined);
    });
    relay.notify();
    await waitFor(() => logger.lines.some((l) => l.msg === "outbox publish failed; retrying"));
    expect(await pending()).toBe(1);
    await server.restart();
    await waitFor(async () => (await pending()) === 0, 20_000);
    expect(await countOnStream(nc, EVENTS_STREAM, `strata.evt.${ns}.>`)).toBe(1);
  }, 40_000);

  it("stop() publishes what is already pending before it returns", async () => {
    const relay = startRelay();
    await relay.stop();
    const ns = newNamespaceId();
    await store.transaction(async (tx) => {
      for (let i = 0; i < 20; i++) await appendToOutbox(tx, namespaceCreatedEvent(ns, `n${i}`));
      return ok(undefined);
    });
    relay.start();
    await relay.stop();
    expect(await pending()).toBe(0);
    expect(await countOnStream(nc, EVENTS_STREAM, `strata.evt.${ns}.>`)).toBe(20);
  });
});
