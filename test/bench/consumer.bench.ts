/**
 * npm run bench:consumer — what one delivery costs the consumer engine of @strata/bus, against the
 * nats client alone. BENCH_EVENTS (default 30,000) document.created events are published to a
 * fresh nats-server's STRATA_EVENTS stream, then consumed, in turn, by:
 *   1. the baseline: a bare JetStream pull consumer (`consume`, 256 pulled ahead) that acks each
 *      message as it arrives, no parsing;
 *   2. the engine: `startEventConsumer` as the services run it (256 handlers at once, the CloudEvent
 *      parsed and validated, heartbeats, a consumer span, the ack), with a handler that acks;
 *   3. the engine with BENCH_CONSUMERS (default 2) durables at once, as a platform runs several.
 * Each prints the wall time, and this process's CPU time (µs) per delivery; nats-server runs as a
 * child on the same machine and is not counted.
 */
import { loadavg } from "node:os";
import { connectNats, ensureEventStream, startEventConsumer } from "@strata/bus";
import { buildEvent, EVENTS_STREAM, subjectFilterFor, subjectOf } from "@strata/events";
import { startNatsServer } from "@strata/testkit";
import { AckPolicy, type NatsConnection } from "nats";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 30_000);
const CONSUMERS = Number(process.env.BENCH_CONSUMERS ?? 2);
const IN_HAND = 256;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function documentCreated(i: number) {
  return buildEvent(
    "document.created",
    {
      service: "namespace",
      organizationId: "org_bench",
      namespaceId: "ns_bench",
      subject: `col_bench/d${i}`,
    },
    {
      document_id: `d${i}`,
      collection_id: "col_bench",
      namespace_id: "ns_bench",
      organization_id: "org_bench",
      tier: "hot",
      feature_uris: ["strata://bench@v1/embedding"],
    },
  );
}

async function publishAll(nc: NatsConnection): Promise<void> {
  const js = nc.jetstream();
  const events = Array.from({ length: EVENTS }, (_, i) => documentCreated(i));
  for (let i = 0; i < events.length; i += 512) {
    await Promise.all(
      events.slice(i, i + 512).map((e) => js.publish(subjectOf(e), JSON.stringify(e), { msgID: e.id })),
    );
  }
}

/** Runs `consume` until `deliveries` handlers have run; wall ms and CPU µs per delivery. */
async function measure(deliveries: number, consume: (delivered: () => void) => Promise<() => Promise<void>>) {
  let seen = 0;
  let allSeen: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allSeen = resolve;
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const stop = await consume(() => {
    if (++seen === deliveries) allSeen();
  });
  await done;
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await stop();
  return {
    deliveries,
    seconds: +(ms / 1000).toFixed(2),
    deliveries_per_second: Math.round((deliveries * 1000) / ms),
    cpu_us_per_delivery: +((used.user + used.system) / deliveries).toFixed(1),
  };
}

const nats = await startNatsServer({ jetstream: true });
const nc = await connectNats({ servers: nats.url, name: "bench-consumer" });
try {
  await ensureEventStream(nc, { replicas: 1 });
  await publishAll(nc);
  console.log(
    JSON.stringify({ events: EVENTS, consumers: CONSUMERS, load: loadavg().map((l) => +l.toFixed(2)) }),
  );

  const bare = await measure(EVENTS, async (delivered) => {
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.add(EVENTS_STREAM, {
      durable_name: "bench_bare",
      ack_policy: AckPolicy.Explicit,
      filter_subject: subjectFilterFor("document.created"),
    });
    const messages = await (await nc.jetstream().consumers.get(EVENTS_STREAM, "bench_bare")).consume({
      max_messages: IN_HAND,
    });
    const loop = (async () => {
      for await (const m of messages) {
        m.ack();
        delivered();
      }
    })();
    return async () => {
      await messages.close();
      await loop;
    };
  });
  console.log(JSON.stringify({ bare_client: bare }));

  for (const durables of [1, CONSUMERS]) {
    const engine = await measure(EVENTS * durables, async (delivered) => {
      const handles = await Promise.all(
        Array.from({ length: durables }, (_, d) =>
          startEventConsumer("document.created", {
            nc,
            durable: `bench_engine_${durables}_${d}`,
            startAt: "all",
            logger: silent,
            concurrency: IN_HAND,
            prefetch: IN_HAND,
            handler: async () => {
              delivered();
              return { action: "ack" };
            },
          }),
        ),
      );
      return async () => {
        await Promise.all(handles.map((h) => h.stop()));
      };
    });
    console.log(JSON.stringify({ [`engine_${durables}_durables`]: engine }));
  }
} finally {
  await nc.close();
  await nats.stop();
}
