// A webhook receiver for this package's tests: verifies every request with the standardwebhooks
// package (an independent verifier), records what arrived, answers what the test scripts.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Which of the receiver's secrets verified the request ("none" if none did). */
  readonly verifiedBy: readonly string[];
  /** What the receiver answered. */
  readonly status: number;
  /** When the request's body had arrived (`performance.now()`). */
  readonly receivedAt: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Answer only after this long (a slow endpoint); "hang" never answers, "reset" drops the socket. */
  readonly delayMs?: number;
  readonly behaviour?: "hang" | "reset";
}

export interface TestReceiver {
  readonly url: string;
  readonly received: Received[];
  /** Secrets requests are verified against, by label. */
  readonly secrets: Map<string, string>;
  /** Decides the answer to each request; default 200. */
  answer: (request: { path: string; body: string; count: number }) => Answer;
  close(): Promise<void>;
}

export async function startTestReceiver(): Promise<TestReceiver> {
  const received: Received[] = [];
  const secrets = new Map<string, string>();
  let count = 0;
  const receiver: TestReceiver = {
    url: "",
    received,
    secrets,
    answer: () => ({ status: 200 }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = req.headers as Record<string, string>;
      const verifiedBy = [...secrets].flatMap(([label, secret]) => {
        try {
          new Webhook(secret).verify(body, headers);
          return [label];
        } catch {
          return [];
        }
      });
      count += 1;
      const answer = receiver.answer({ path: req.url ?? "/", body, count });
      received.push({
        path: req.url ?? "/",
        headers: req.headers,
        body,
        verifiedBy,
        status: answer.status,
        receivedAt: performance.now(),
      });
      if (answer.behaviour === "hang") return;
      if (answer.behaviour === "reset") {
        req.socket.destroy();
        return;
      }
      const send = () => {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end("ok");
      };
      if (answer.delayMs === undefined) send();
      else setTimeout(send, answer.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(receiver, { url: `http://127.0.0.1:${port}` });
  return receiver;
}
