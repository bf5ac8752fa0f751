import type { EventEnvelope } from "@strata/events";
import { callUnary } from "@strata/grpc";
import { newId } from "@strata/ids";
import { startNatsServer, tempDir } from "@strata/testkit";
import { connect } from "nats";
import { describe, expect, it } from "vitest";
import { type DispatcherProcess, launchDispatcher } from "./testing/child-process.js";
import { type Answer, startTestReceiver } from "./testing/receiver.js";
import {
  adminOf,
  batchCompleted,
  batchFailed,
  connectClient,
  eventually,
  publishEvents,
  testEnv,
} from "./testing/service-harness.js";

const EVENTS = 10_000;
const KILLS = 3;

/** Which endpoint paths must receive an event: the subscriptions created below, worked out again. */
function expectedPaths(event: EventEnvelope, ns1: string, ns2: string): string[] {
  if (event.namespaceid === ns1) return event.type === "batch.completed" ? ["/a", "/b"] : ["/a"];
  if (event.namespaceid === ns2) return event.type === "batch.failed" ? ["/c", "/d"] : ["/c"];
  return [];
}

/** 20 % of requests fail: 5xx, a dropped connection, or no answer before the timeout. */
function randomFailure(): Answer {
  const roll = Math.random();
  if (roll < 0.12) return { status: 500 };
  if (roll < 0.16) return { status: 0, behaviour: "reset" };
  if (roll < 0.18) return { status: 0, behaviour: "hang" };
  if (roll < 0.2) return { status: 503 };
  return { status: 200 };
}

describe("the delivery ledger", () => {
  it(`delivers ${EVENTS} events to every subscriber despite random failures and ${KILLS} SIGKILLs`, async () => {
    const nats = await startNatsServer();
    const nc = await connect({ servers: nats.url });
    const dir = await tempDir("webhook-ledger");
    const receiver = await startTestReceiver();
    receiver.answer = randomFailure;
    const env = testEnv(nats.url, dir.path, {
      WEBHOOK_TIMEOUT: "300ms",
      WEBHOOK_CLAIM: "5s",
      WEBHOOK_ACK_WAIT: "1s",
      WEBHOOK_RETRY_SCHEDULE: "20ms,50ms,100ms,200ms,300ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms",
      WEBHOOK_ENDPOINT_CONCURRENCY: "8",
    });
    let dispatcher: DispatcherProcess | undefined;
    try {
      dispatcher = await launchDispatcher(env);
      const organizationId = newId("organization");
      const [ns1, ns2] = [newId("namespace"), newId("namespace")];
      const client = connectClient(dispatcher.grpcAddress);
      const subscriptions: Array<[string, string, string[], string[]]> = [
        [ns1, "/a", ["batch.*"], []],
        [ns1, "/b", ["batch.completed"], []],
        [ns2, "/c", ["*"], []],
        ["", "/d", ["batch.failed"], [ns2]],
      ];
      for (const [namespaceId, path, events, namespaces] of subscriptions) {
        const created = await callUnary(
          client.createWebhook.bind(client),
          {
            namespaceId,
            webhookName: path.slice(1),
            url: `${receiver.url}${path}`,
            events,
            namespaces,
            headers: {},
          },
          { caller: adminOf(organizationId) },
        );
        if (!created.ok) throw new Error(JSON.stringify(created.error));
        receiver.secrets.set(path, created.value.secret);
      }
      client.close();

      const events = Array.from({ length: EVENTS }, (_, i) => {
        const ns = i % 2 === 0 ? ns1 : ns2;
        return i % 3 === 0 ? batchFailed(organizationId, ns) : batchCompleted(organizationId, ns);
      });
      // Events of another organization reach nobody.
      const strangers = [batchCompleted(newId("organization"), ns1)];
      const expected = new Map<string, number>();
      for (const event of events)
        for (const path of expectedPaths(event, ns1, ns2)) expected.set(`${path} ${event.id}`, 0);
      const chunk = Math.ceil(EVENTS / (KILLS + 1));
      const successes = () => receiver.received.filter((r) => r.status === 200).length;
      const killedAt: number[] = [];

      await publishEvents(nc, [...strangers, ...events.slice(0, chunk)]);
      for (let kill = 1; kill <= KILLS; kill++) {
        // Kill it in the middle of the work: once part of what was published is delivered.
        const target = Math.floor((expected.size * kill) / (KILLS + 2));
        // Generous: these wait for progress under a loaded CI machine, they time nothing.
        await eventually(() => (successes() >= target ? true : undefined), 120_000);
        killedAt.push(performance.now());
        await dispatcher.kill("SIGKILL");
        await publishEvents(nc, events.slice(kill * chunk, (kill + 1) * chunk));
        dispatcher = await launchDispatcher(env);
      }

      // When each pair's 2xx answers arrived: a second one after a SIGKILL is a send the killed
      // process made but had not recorded; one with no kill between is a retry of an answer the
      // dispatcher did not see in time (its 300 ms timeout, on a loaded machine).
      const answeredAt = new Map<string, number[]>();
      const missing = () => {
        for (const r of receiver.received) {
          const key = `${r.path} ${String(r.headers["webhook-id"])}`;
          if (r.status === 200 && expected.has(key)) {
            expected.set(key, (expected.get(key) ?? 0) + 1);
            answeredAt.set(key, [...(answeredAt.get(key) ?? []), r.receivedAt]);
          }
        }
        receiver.received.length = 0;
        return [...expected.values()].filter((count) => count === 0).length;
      };
      const seen: typeof receiver.received = [];
      const snapshot = () => seen.push(...receiver.received);
      await eventually(() => {
        snapshot();
        return missing() === 0 ? true : undefined;
      }, 150_000);

      const unexpected = seen.filter((r) => !expected.has(`${r.path} ${String(r.headers["webhook-id"])}`));
      const unverified = seen.filter((r) => r.verifiedBy.length !== 1 || r.verifiedBy[0] !== r.path);
      const duplicates = [...expected.values()].reduce((sum, count) => sum + count - 1, 0);
      const acrossKill = [...answeredAt.values()].reduce(
        (sum, times) =>
          sum +
          times.slice(1).filter((at, i) => killedAt.some((kill) => kill > (times[i] as number) && kill < at))
            .length,
        0,
      );
      console.log(
        `ledger: ${EVENTS} events, ${expected.size} (event, endpoint) pairs, ${seen.length} requests, ` +
          `${KILLS} SIGKILLs; duplicate 2xx deliveries: ${duplicates} (${((100 * duplicates) / expected.size).toFixed(3)} %), ` +
          `${acrossKill} of them across a SIGKILL`,
      );
      expect([...expected.values()].filter((count) => count === 0)).toHaveLength(0);
      expect(unexpected).toHaveLength(0);
      expect(unverified).toHaveLength(0);
    } finally {
      await dispatcher?.kill("SIGTERM");
      await receiver.close();
      await nc.close();
      await nats.stop();
      await dir.remove();
    }
  }, 420_000);
});
