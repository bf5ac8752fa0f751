import { type AnyEventEnvelope, eventTypeOfSubject, subjectOf } from "@strata/events";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import type { JetStreamClient, NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAllEventsConsumer } from "./all-events-consumer.js";
import { connectNats } from "./connect.js";
import { ensureEventStream } from "./streams.js";
import {
  namespaceCreatedEvent,
  newNamespaceId,
  publishEvent,
  readDeadLetters,
  recordingLogger,
  waitFor,
} from "./test-support.js";

describe("startAllEventsConsumer", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ servers: server.url, name: "all-events-test" });
    await ensureEventStream(nc);
    js = nc.jetstream();
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("acknowledges the types it ignores without decoding them; any other type is decoded (and dead-lettered if invalid)", async () => {
    const ns = newNamespaceId();
    const seen: AnyEventEnvelope[] = [];
    const handle = await startAllEventsConsumer({
      nc,
      durable: "ignores_test",
      startAt: "new",
      logger: recordingLogger(),
      ignores: (type) => type === "document.accessed",
      handler: async (event) => {
        seen.push(event);
        return { action: "ack" };
      },
    });
    const garbage = new TextEncoder().encode("not an event");
    // Not even JSON: decoding it would dead-letter it.
    await js.publish(`strata.evt.${ns}.document.accessed`, garbage);
    await js.publish(`strata.evt.${ns}.namespace.deleted`, garbage);
    const created = namespaceCreatedEvent(ns);
    await publishEvent(js, subjectOf(created), created);
    await waitFor(() => seen.length === 1);
    const [dead] = await readDeadLetters(js, "ignores_test", 1);
    await handle.stop();
    expect(seen.map((e) => e.id)).toEqual([created.id]);
    expect(dead?.subject).toBe("strata.dlq.ignores_test");
    const info = await (await nc.jetstreamManager()).consumers.info("STRATA_EVENTS", "ignores_test");
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it("reads the event type from the subject, in a namespace's scope and an organization's", () => {
    expect(eventTypeOfSubject("strata.evt.ns_1.document.accessed")).toBe("document.accessed");
    expect(eventTypeOfSubject("strata.evt._org_org_1.api_key.revoked")).toBe("api_key.revoked");
    expect(eventTypeOfSubject("strata.dlq.x")).toBeUndefined();
    expect(eventTypeOfSubject("strata.evt.ns_1")).toBeUndefined();
  });
});
