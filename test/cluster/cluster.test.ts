import { EVENTS_STREAM } from "@strata/events";
import { readEventStream } from "@strata/service-kit";
import { connect, type NatsConnection, type StreamInfo } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, waitUntil } from "../e2e/harness.js";
import { type DistributedPlatform, startDistributedPlatform } from "./distributed-platform.js";
import { type NatsCluster, startNatsCluster } from "./nats-cluster.js";
import { type RevocationOutcome, watchRevocation } from "./revocation-probe.js";
import { startWriteLoad, type WriteLoad } from "./write-load.js";

/**
 * The distributed mode on a real NATS cluster, on this machine: three nats-server processes as one
 * JetStream cluster (STRATA_EVENTS with 3 replicas), namespace, auth and acl-query in a process
 * each, and two gateways, all separate processes. Both gateways take a steady stream of writes
 * while the stream's leader node is killed and restarted, then one gateway is. Afterwards every
 * write a gateway accepted is stored, every stored document has its document.created on the stream
 * exactly once, and a key revoked mid-run was refused by both gateways within 1 s.
 * Without MongoDB here each service keeps SQLite in its own data dir: one namespace replica.
 */
const URI = "strata://cluster@v1/embedding";
let cluster: NatsCluster;
let platform: DistributedPlatform;
let nc: NatsConnection;

beforeAll(async () => {
  cluster = await startNatsCluster();
  platform = await startDistributedPlatform(cluster.urls, { gatewayCount: 2, replicas: 3 });
  nc = await connect({ servers: cluster.urls.split(",") });
}, 120_000);

afterAll(async () => {
  await nc?.close();
  await platform?.stop();
  await cluster?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function streamInfo(): Promise<StreamInfo> {
  return (await nc.jetstreamManager()).streams.info(EVENTS_STREAM);
}

/** Every document of the collection, page by page, read through `gatewayUrl`. */
async function listDocumentIds(gatewayUrl: string, collectionId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const page = await callApi<{ data: Array<{ document_id: string }>; next_cursor: string | null }>(
      gatewayUrl,
      "GET",
      `/v1/collections/${collectionId}/documents?limit=100${query}`,
      { key: platform.adminKey, namespace: "cluster" },
    );
    expect(page.status).toBe(200);
    ids.push(...page.body.data.map((doc) => doc.document_id));
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return ids;
}

async function createdEvents(collectionId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const event of await readEventStream(nc)) {
    if (event.type !== "document.created" || event.data.collection_id !== collectionId) continue;
    counts.set(event.data.document_id, (counts.get(event.data.document_id) ?? 0) + 1);
  }
  return counts;
}

/** Creates a key, sees both gateways accept it, revokes it through the first and watches both. */
async function revokeThroughOneGateway(): Promise<RevocationOutcome> {
  const [first] = platform.gateways;
  if (first === undefined) throw new Error("no gateway");
  const key = await callApi<{ key_id: string; api_key: string }>(first.url, "POST", "/v1/api-keys", {
    key: platform.adminKey,
    body: { name: "revoked-mid-run", permissions: ["read"], namespaces: ["cluster"] },
  });
  expect(key.status).toBe(201);
  for (const gateway of platform.gateways) {
    const whoami = await callApi(gateway.url, "GET", "/v1/whoami", {
      key: key.body.api_key,
      namespace: "cluster",
    });
    expect(whoami.status).toBe(200);
  }
  return watchRevocation({
    nc,
    gatewayUrls: platform.gateways.map((gateway) => gateway.url),
    revokeUrl: first.url,
    adminKey: platform.adminKey,
    keyId: key.body.key_id,
    apiKey: key.body.api_key,
  });
}

describe("the distributed mode on a three-node NATS cluster", () => {
  it("keeps every accepted write, publishes each event once and revokes keys everywhere through node and gateway crashes", async () => {
    const [first, second] = platform.gateways;
    if (first === undefined || second === undefined) throw new Error("two gateways expected");
    const info = await streamInfo();
    expect(info.config.num_replicas).toBe(3);
    expect(info.cluster?.replicas?.length).toBe(2);

    expect(
      (
        await callApi(first.url, "POST", "/v1/namespaces", {
          key: platform.adminKey,
          body: { namespace_name: "cluster" },
        })
      ).status,
    ).toBe(201);
    const collection = await callApi<{ collection_id: string }>(first.url, "POST", "/v1/collections", {
      key: platform.adminKey,
      namespace: "cluster",
      body: { collection_name: "writes", features: [{ feature_uri: URI, dimensions: 3 }] },
    });
    expect(collection.status).toBe(201);
    const collectionId = collection.body.collection_id;

    const loads: WriteLoad[] = platform.gateways.map((gateway, i) =>
      startWriteLoad({
        url: gateway.url,
        key: platform.adminKey,
        namespace: "cluster",
        collection: collectionId,
        featureUri: URI,
        intervalMs: 50,
        label: `gateway-${i}`,
      }),
    );
    try {
      await sleep(3000);
      // The stream's leader: its loss forces an election while writes are being relayed.
      const leaderName = (await streamInfo()).cluster?.leader;
      const leader = cluster.nodes.find((node) => node.name === leaderName);
      if (leader === undefined) throw new Error(`no node is the stream leader (${leaderName})`);
      await leader.kill();
      await sleep(4000);
      await leader.restart();
      await waitUntil(
        async () => {
          // Right after the restart the JetStream API may time out while the node catches up.
          const replicas = await streamInfo().then(
            (info) => info.cluster?.replicas ?? [],
            () => [],
          );
          return replicas.length === 2 && replicas.every((replica) => replica.current && !replica.offline);
        },
        30_000,
        250,
      );

      // Every request sent 1 s or more after the revocation is refused, by both gateways.
      const revocation = await revokeThroughOneGateway();
      const detail = JSON.stringify(revocation);
      console.log(`revocation: ${detail}`);
      for (const gateway of revocation.gateways) {
        expect(gateway.firstRefusedAt, detail).toBeDefined();
        expect(gateway.lastAcceptedSentAt ?? -1, detail).toBeLessThan(1000);
      }

      await first.crashAndRestart();
      const acceptedBeforeRestart = loads[0]?.accepted.length ?? 0;
      await sleep(3000);
      // The restarted gateway takes writes again.
      expect(loads[0]?.accepted.length ?? 0).toBeGreaterThan(acceptedBeforeRestart);
    } finally {
      await Promise.all(loads.map((load) => load.stop()));
    }

    const accepted = loads.flatMap((load) => load.accepted);
    for (const load of loads) expect(load.accepted.length).toBeGreaterThan(100);
    const stored = await listDocumentIds(second.url, collectionId);
    const storedSet = new Set(stored);
    expect(stored.length).toBe(storedSet.size);
    expect(accepted.filter((id) => !storedSet.has(id))).toEqual([]);

    // The relays may still be publishing what the outage left in their outboxes.
    await waitUntil(
      async () => {
        const events = await createdEvents(collectionId);
        return stored.every((id) => events.has(id));
      },
      30_000,
      500,
    );
    const events = await createdEvents(collectionId);
    expect([...events].filter(([, count]) => count !== 1)).toEqual([]);
    expect([...events.keys()].filter((id) => !storedSet.has(id))).toEqual([]);
    expect(events.size).toBe(stored.length);
    console.log(
      `cluster run: ${accepted.length} writes accepted, ${stored.length} stored, ${events.size} document.created events; refused: ${loads
        .map((load) => JSON.stringify(Object.fromEntries(load.refused)))
        .join(" ")}`,
    );
  }, 150_000);
});
