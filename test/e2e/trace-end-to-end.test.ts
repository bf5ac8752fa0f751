import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Platform, startPlatform } from "@strata/platform";
import {
  InMemorySpanExporter,
  initTelemetry,
  type ReadableSpan,
  SpanKind,
  type Telemetry,
} from "@strata/telemetry";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, testPlatformEnv, waitUntil } from "./harness.js";

/**
 * One trace end to end: a document written through the gateway, the gRPC hop to the namespace
 * service, the outbox relay's publish of document.created, and acl-query's alert evaluation of it
 * share one trace id, each span the child of the one before.
 */
const URI = "strata://test@v1/embedding";
const NS = "traced";
const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let nats: NatsServerHandle;
let dir: TempDir;
let platform: Platform;
let adminKey = "";

const call = (method: string, path: string, body?: unknown) =>
  callApi(platform.gatewayUrl ?? "", method, path, {
    key: adminKey,
    namespace: NS,
    ...(body === undefined ? {} : { body }),
  });

beforeAll(async () => {
  // Registered before the platform starts: its own initTelemetry then keeps this provider.
  telemetry = initTelemetry({ serviceName: "trace-e2e", exporter });
  nats = await startNatsServer();
  dir = await tempDir("strata-trace-");
  platform = await startPlatform({
    ...testPlatformEnv(dir.path),
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: randomBytes(32).toString("hex"),
  });
  adminKey = (JSON.parse(await readFile(join(dir.path, "bootstrap.json"), "utf8")) as { api_key: string })
    .api_key;
  expect(
    (
      await callApi(platform.gatewayUrl ?? "", "POST", "/v1/namespaces", {
        key: adminKey,
        body: { namespace_name: NS },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call("POST", "/v1/collections", {
        collection_name: "items",
        features: [{ feature_uri: URI, dimensions: 3 }],
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call("POST", "/v1/retrievers", {
        retriever_name: "all",
        collection_ids: ["items"],
        feature_uri: URI,
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call("POST", "/v1/alerts", {
        alert_name: "close",
        retriever_id: "all",
        query: { vector: [1, 0, 0] },
        score_threshold: 0.9,
      })
    ).status,
  ).toBe(201);
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await telemetry?.shutdown();
  await nats?.stop();
  await dir?.remove();
});

describe("one trace end to end", () => {
  it("runs from the HTTP request through the gRPC hop and the relay's publish to the alert evaluation", async () => {
    exporter.reset();
    const written = await call("POST", "/v1/collections/items/documents", {
      document_id: "traced-doc",
      metadata: {},
      features: { [URI]: [1, 0.05, 0] },
    });
    expect(written.status, JSON.stringify(written.body)).toBe(201);

    const isEvaluation = (s: ReadableSpan) =>
      s.kind === SpanKind.CONSUMER &&
      s.name === "document.created process" &&
      s.attributes["messaging.consumer.group.name"] === "acl_query_alert_evaluator";
    await waitUntil(async () => exporter.getFinishedSpans().some(isEvaluation), 15_000, 50);

    const spans = exporter.getFinishedSpans();
    const request = spans.find(
      (s) => s.kind === SpanKind.SERVER && s.name === "POST /v1/collections/:id/documents",
    );
    if (request === undefined)
      throw new Error(`no HTTP span; got ${spans.map((s) => `${s.kind}:${s.name}`).join(", ")}`);
    const traceId = request.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const one = (what: string, match: (s: ReadableSpan) => boolean): ReadableSpan => {
      const found = inTrace.filter(match);
      if (found.length !== 1)
        throw new Error(
          `${found.length} ${what} spans in the trace: ${inTrace.map((s) => s.name).join(", ")}`,
        );
      return found[0] as ReadableSpan;
    };
    const rpc = "strata.namespace.v1.DocumentService/CreateDocument";
    const client = one("gRPC client", (s) => s.kind === SpanKind.CLIENT && s.name === rpc);
    const server = one("gRPC server", (s) => s.kind === SpanKind.SERVER && s.name === rpc);
    const publish = one(
      "relay publish",
      (s) => s.kind === SpanKind.PRODUCER && /\.document\.created publish$/.test(s.name),
    );
    const evaluation = one("alert evaluation", isEvaluation);

    expect(request.parentSpanContext).toBeUndefined();
    expect(client.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(server.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
    // The event was appended inside the namespace service's handling of the call.
    expect(publish.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(publish.attributes["messaging.message.id"]).toBe(evaluation.attributes["messaging.message.id"]);
    expect(evaluation.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
  });
});
