import { callUnary } from "@strata/grpc";
import { newId } from "@strata/ids";
import { startNatsServer, tempDir } from "@strata/testkit";
import { connect } from "nats";
import { describe, expect, it } from "vitest";
import { type DispatcherProcess, launchDispatcher } from "./testing/child-process.js";
import { startTestReceiver } from "./testing/receiver.js";
import {
  adminOf,
  batchCompleted,
  connectClient,
  eventually,
  publishEvents,
  testEnv,
} from "./testing/service-harness.js";

const EVENTS = 2_000;

describe("two dispatcher replicas", () => {
  it("share one NATS and one store and never send an attempt twice", async () => {
    const nats = await startNatsServer();
    const nc = await connect({ servers: nats.url });
    const dir = await tempDir("webhook-replicas");
    const receiver = await startTestReceiver();
    // Slow answers keep attempts in flight in both replicas at once.
    receiver.answer = () => ({ status: 200, delayMs: 5 });
    // A timed-out attempt is retried by design (at least once), so the receiver, in this busy
    // test process, gets a timeout it always meets: every copy counted here is then a double send.
    const env = testEnv(nats.url, dir.path, { WEBHOOK_CLAIM: "2s", WEBHOOK_TIMEOUT: "30s" });
    const replicas: DispatcherProcess[] = [];
    try {
      replicas.push(await launchDispatcher(env), await launchDispatcher(env));
      const organizationId = newId("organization");
      const namespaceId = newId("namespace");
      for (const [index, replica] of replicas.entries()) {
        const client = connectClient(replica.grpcAddress);
        const created = await callUnary(
          client.createWebhook.bind(client),
          {
            namespaceId,
            webhookName: `r${index}`,
            url: `${receiver.url}/r${index}`,
            events: ["batch.*"],
            namespaces: [],
            headers: {},
          },
          { caller: adminOf(organizationId) },
        );
        client.close();
        if (!created.ok) throw new Error(JSON.stringify(created.error));
        // Each replica signs with secrets it did not create: the key is shared.
        receiver.secrets.set(`/r${index}`, created.value.secret);
      }
      const events = Array.from({ length: EVENTS }, () => batchCompleted(organizationId, namespaceId));
      await publishEvents(nc, events);
      await eventually(() => (receiver.received.length >= 2 * EVENTS ? true : undefined), 90_000);
      // Anything sent twice would arrive by now: wait for the claims of any stray copy to run out.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const pairs = new Map<string, number>();
      for (const r of receiver.received) {
        const key = `${r.path} ${String(r.headers["webhook-id"])}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
      expect(pairs.size).toBe(2 * EVENTS);
      expect([...pairs.values()].filter((count) => count > 1)).toEqual([]);
      expect(receiver.received.filter((r) => r.verifiedBy[0] !== r.path)).toEqual([]);
    } finally {
      for (const replica of replicas) await replica.kill("SIGTERM");
      await receiver.close();
      await nc.close();
      await nats.stop();
      await dir.remove();
    }
  }, 120_000);
});
