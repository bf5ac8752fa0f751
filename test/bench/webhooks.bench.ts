/**
 * npm run bench:webhooks — the webhook dispatcher against a receiver on loopback (allowlisted):
 *   1. the limit: a bare loop POSTing the same bodies with undici.request (50 in flight);
 *   2. sustained deliveries/s: BENCH_EVENTS events (default 20,000) published at once to one
 *      subscribed webhook, timed from the first publish until the receiver has every one;
 *   3. event-to-delivery latency at a steady BENCH_RATE events/s (default 500) for BENCH_SECONDS
 *      (default 10): from the event's publish to its arrival at the receiver, p50 / p99.
 * The dispatcher runs as its own process (as in production: one service per process); NATS, the
 * receiver and this script share the machine with it.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import { callUnary } from "@strata/grpc";
import { newId } from "@strata/ids";
import { startNatsServer, tempDir } from "@strata/testkit";
import { launchDispatcher } from "@strata/webhook-dispatcher/testing/child-process";
import {
  adminOf,
  batchCompleted,
  connectClient,
  testEnv,
} from "@strata/webhook-dispatcher/testing/service-harness";
import { connect } from "nats";
import { Pool, request } from "undici";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// Figures on a shared machine mean little without the load they were measured under.
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const loadAtStart = load();
const pct = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const arrivals = new Map<string, number>();
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const id = req.headers["webhook-id"];
    if (typeof id === "string") arrivals.set(id, performance.now());
    res.writeHead(200);
    res.end();
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// 1. The limit: undici.request, 50 in flight, the same kind of body.
const body = JSON.stringify(batchCompleted(newId("organization"), newId("namespace")));
const pool = new Pool(receiverUrl, { connections: 50 });
const BARE = 20_000;
let sent = 0;
const bareStart = performance.now();
await Promise.all(
  Array.from({ length: 50 }, async () => {
    while (sent < BARE) {
      sent += 1;
      const answer = await request(`${receiverUrl}/bare`, { method: "POST", body, dispatcher: pool });
      await answer.body.dump();
    }
  }),
);
const bareRate = BARE / ((performance.now() - bareStart) / 1000);
await pool.close();

const nats = await startNatsServer();
const nc = await connect({ servers: nats.url });
const dir = await tempDir("webhook-bench");
const dispatcher = await launchDispatcher(
  testEnv(nats.url, dir.path, {
    WEBHOOK_SCHEDULER_INTERVAL: "100ms",
    // Production's setting (ADR 0043): testEnv turns the store's reentry check on, as tests want.
    STRATA_STORE_REENTRY_CHECK: "false",
  }),
);
try {
  const organizationId = newId("organization");
  const namespaceId = newId("namespace");
  const client = connectClient(dispatcher.grpcAddress);
  const created = await callUnary(
    client.createWebhook.bind(client),
    {
      namespaceId,
      webhookName: "bench",
      url: `${receiverUrl}/hook`,
      events: ["*"],
      namespaces: [],
      headers: {},
    },
    { caller: adminOf(organizationId) },
  );
  client.close();
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const js = nc.jetstream();
  const publish = (n: number) => {
    const events = Array.from({ length: n }, () => batchCompleted(organizationId, namespaceId));
    return events;
  };
  const waitFor = async (ids: readonly string[]) => {
    while (!ids.every((id) => arrivals.has(id))) await new Promise((r) => setTimeout(r, 20));
  };

  // 2. Sustained throughput.
  const burst = publish(EVENTS);
  const burstStart = performance.now();
  for (let i = 0; i < burst.length; i += 256) {
    await Promise.all(
      burst
        .slice(i, i + 256)
        .map((e) => js.publish(`strata.evt.${namespaceId}.${e.type}`, JSON.stringify(e), { msgID: e.id })),
    );
  }
  await waitFor(burst.map((e) => e.id));
  const sustained = EVENTS / ((performance.now() - burstStart) / 1000);

  // 3. Latency at a steady rate.
  const published = new Map<string, number>();
  const steadyStart = performance.now();
  const total = RATE * SECONDS;
  for (let i = 0; i < total; i++) {
    const due = steadyStart + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const [event] = publish(1);
    if (event === undefined) continue;
    published.set(event.id, performance.now());
    void js.publish(`strata.evt.${namespaceId}.${event.type}`, JSON.stringify(event), { msgID: event.id });
  }
  await waitFor([...published.keys()]);
  const latencies = [...published].map(([id, at]) => (arrivals.get(id) ?? at) - at).sort((a, b) => a - b);

  console.log(`webhooks bench (2 cores shared by NATS, the dispatcher, the receiver and this script)`);
  console.log(
    `machine: ${availableParallelism()} cores; load average ${loadAtStart} at the start, ${load()} at the end`,
  );
  console.log(`bare undici.request loop, 50 in flight: ${Math.round(bareRate)} req/s`);
  console.log(
    `dispatcher sustained: ${Math.round(sustained)} deliveries/s (${EVENTS} events; ${((100 * sustained) / bareRate).toFixed(1)} % of the bare loop)`,
  );
  console.log(
    `event-to-delivery at ${RATE} events/s for ${SECONDS} s: p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms`,
  );
} finally {
  await dispatcher.kill("SIGTERM");
  await nc.close();
  await nats.stop();
  await dir.remove();
  server.close();
}
