import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { EVENTS_STREAM, parseEvent, subjectFilterFor } from "@strata/events";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { connect, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, waitUntil } from "./harness.js";

/**
 * Each change produces exactly one event on the stream, even when the process dies mid-way: the
 * platform runs as a real process (as a container would, against an external NATS), gets SIGKILLed
 * in the middle of a burst of writes, and is started again on the same data.
 */
const repoRoot = join(import.meta.dirname, "../..");
let nats: NatsServerHandle;
let dataDir: TempDir;
let nc: NatsConnection;

beforeAll(async () => {
  nats = await startNatsServer();
  dataDir = await tempDir("strata-e2e-crash-");
  nc = await connect({ servers: nats.url });
});
const launched: ChildProcess[] = [];
afterAll(async () => {
  // A failed assertion must not leave a platform process behind.
  for (const child of launched)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await nc?.close();
  await nats?.stop();
  await dataDir?.remove();
});

interface RunningProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<unknown>;
}

async function launch(): Promise<RunningProcess> {
  const child = spawn(join(repoRoot, "node_modules/.bin/tsx"), ["services/platform/src/main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NATS_URL: nats.url,
      STRATA_INTERNAL_TOKEN: randomBytes(32).toString("hex"),
      STRATA_DATA_DIR: dataDir.path,
      STRATA_HTTP_PORT: "0",
      AUTH_GRPC_PORT: "0",
      NAMESPACE_GRPC_PORT: "0",
      LOG_LEVEL: "warn",
      GATEWAY_RATE_LIMIT_MAX: "1000000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  launched.push(child);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no gateway URL printed: ${output}`)), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /REST API:\s+(http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`platform exited with ${code}: ${output}`)));
  });
  return { child, url, exited };
}

async function namespaceCreatedEvents(): Promise<Map<string, number>> {
  const js = nc.jetstream();
  const consumer = await js.consumers.get(EVENTS_STREAM, {
    filterSubjects: subjectFilterFor("namespace.created"),
  });
  const counts = new Map<string, number>();
  for (;;) {
    const message = await consumer.next({ expires: 1000 });
    if (message === null) break;
    const parsed = parseEvent(message.data);
    if (!parsed.ok || parsed.event.type !== "namespace.created")
      throw new Error("unexpected event on the stream");
    const id = parsed.event.data.namespace_id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe("events survive a crash exactly once", () => {
  it("publishes one namespace.created per namespace after a SIGKILL mid-burst and a restart", async () => {
    const first = await launch();
    const { api_key: adminKey } = JSON.parse(
      await readFile(join(dataDir.path, "bootstrap.json"), "utf8"),
    ) as {
      api_key: string;
    };
    const total = 80;
    const answers: Array<Promise<number>> = [];
    for (let i = 0; i < total; i++) {
      answers.push(
        callApi(first.url, "POST", "/v1/namespaces", {
          key: adminKey,
          body: { namespace_name: `burst-${i}` },
        }).then(
          (response) => response.status,
          () => 0,
        ),
      );
      // Kill the process in the middle of the burst, while commits and publishes are in flight.
      if (i === total / 2) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        first.child.kill("SIGKILL");
      }
    }
    await Promise.all(answers);
    await first.exited;

    const second = await launch();
    try {
      const listed = await callApi<{ data: Array<{ namespace_id: string }> }>(
        second.url,
        "GET",
        "/v1/namespaces?limit=100",
        {
          key: adminKey,
        },
      );
      expect(listed.status).toBe(200);
      const existing = new Set(listed.body.data.map((ns) => ns.namespace_id));
      expect(existing.size).toBeGreaterThan(0);
      // The restarted relay publishes what the killed one left in the outbox.
      await waitUntil(
        async () => {
          const events = await namespaceCreatedEvents();
          return [...existing].every((id) => events.has(id));
        },
        15_000,
        250,
      );
      const events = await namespaceCreatedEvents();
      for (const id of existing) expect(events.get(id), id).toBe(1);
      // No event for a change that never committed.
      for (const id of events.keys()) expect(existing.has(id), id).toBe(true);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 120_000);
});
