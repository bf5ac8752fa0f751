import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { SpanKind } from "@opentelemetry/api";
import { afterAll, describe, expect, it } from "vitest";
import { withSpan } from "./spans.js";
import { initTelemetry } from "./telemetry.js";

// A loopback stand-in for an OpenTelemetry collector's OTLP/HTTP receiver.
const received: { path: string | undefined; body: string }[] = [];
const collector = createServer((request: IncomingMessage, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    received.push({ path: request.url, body: Buffer.concat(chunks).toString("latin1") });
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

describe("OTLP export", () => {
  it("sends spans to <endpoint>/v1/traces when an endpoint is configured, flushed by shutdown", async () => {
    const { port } = collector.address() as AddressInfo;
    const telemetry = initTelemetry({ serviceName: "exporting", otlpEndpoint: `http://127.0.0.1:${port}` });
    await withSpan("exported-span", { kind: SpanKind.INTERNAL }, async () => undefined);
    expect(received).toHaveLength(0); // batched, not sent per span
    await telemetry.shutdown();
    expect(received.map((request) => request.path)).toEqual(["/v1/traces"]);
    expect(received[0]?.body).toContain("exported-span");
    expect(received[0]?.body).toContain("exporting");
  });
});
