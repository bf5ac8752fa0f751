import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryingFetch } from "./retry.js";

/**
 * A real HTTP server on loopback that answers from a script per path, and records what it got:
 * the retry policy is checked on the wire, with the sleeps recorded instead of waited.
 */
interface Seen {
  readonly method: string;
  readonly idempotencyKey: string | undefined;
  readonly body: string;
}
let server: Server;
let base: string;
const seen = new Map<string, Seen[]>();
const scripts = new Map<string, Array<{ status: number; retryAfter?: string }>>();

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const path = request.url ?? "/";
    const list = seen.get(path) ?? [];
    const header = request.headers["idempotency-key"];
    list.push({
      method: request.method ?? "",
      idempotencyKey: typeof header === "string" ? header : undefined,
      body: await bodyOf(request),
    });
    seen.set(path, list);
    const next = scripts.get(path)?.shift() ?? { status: 200 };
    if (next.retryAfter !== undefined) response.setHeader("retry-after", next.retryAfter);
    response.statusCode = next.status;
    response.end(JSON.stringify({ n: list.length }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function client(attempts = 4) {
  const sleeps: number[] = [];
  const send = retryingFetch(
    (request) => fetch(request),
    { attempts, baseDelayMs: 100, maxDelayMs: 1_000 },
    async (ms) => {
      sleeps.push(ms);
    },
  );
  return { send, sleeps };
}

describe("retryingFetch", () => {
  it("repeats a GET on 503 and 429, waiting Retry-After when given, until it succeeds", async () => {
    scripts.set("/get", [{ status: 503 }, { status: 429, retryAfter: "1" }, { status: 200 }]);
    const { send, sleeps } = client();
    const response = await send(new Request(`${base}/get`));
    expect(response.status).toBe(200);
    expect(seen.get("/get")?.length).toBe(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBe(1_000);
  });

  it("repeats a POST with an Idempotency-Key with the same key and body", async () => {
    scripts.set("/post-keyed", [{ status: 503 }, { status: 201 }]);
    const { send } = client();
    const request = new Request(`${base}/post-keyed`, {
      method: "POST",
      headers: { "idempotency-key": "k-1", "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect((await send(request)).status).toBe(201);
    expect(seen.get("/post-keyed")).toEqual([
      { method: "POST", idempotencyKey: "k-1", body: '{"a":1}' },
      { method: "POST", idempotencyKey: "k-1", body: '{"a":1}' },
    ]);
  });

  it("never repeats a POST without an Idempotency-Key, nor an answer that is not retryable", async () => {
    scripts.set("/post-bare", [{ status: 503 }]);
    scripts.set("/conflict", [{ status: 409 }]);
    const { send, sleeps } = client();
    expect((await send(new Request(`${base}/post-bare`, { method: "POST", body: "x" }))).status).toBe(503);
    expect((await send(new Request(`${base}/conflict`))).status).toBe(409);
    expect(seen.get("/post-bare")?.length).toBe(1);
    expect(seen.get("/conflict")?.length).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("gives up after the configured attempts and answers the last response", async () => {
    scripts.set("/down", [{ status: 503 }, { status: 503 }, { status: 503 }]);
    const { send, sleeps } = client(3);
    expect((await send(new Request(`${base}/down`, { method: "DELETE" }))).status).toBe(503);
    expect(seen.get("/down")?.length).toBe(3);
    expect(sleeps.length).toBe(2);
  });

  it("repeats after a connection failure and rethrows the last one", async () => {
    const { send, sleeps } = client(2);
    // Nothing listens on port 9 of loopback: every try fails to connect.
    await expect(send(new Request("http://127.0.0.1:9/"))).rejects.toThrow();
    expect(sleeps.length).toBe(1);
  });
});
