// Helpers for this package's tests only; not exported from index.ts.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { type Context, type ContextManager, context, ROOT_CONTEXT } from "@opentelemetry/api";
import { type AnyEventEnvelope, buildEvent } from "@strata/events";
import { headers, type JetStreamClient, type JsMsg, type NatsConnection } from "nats";
import { expect } from "vitest";
import type { BusLogger } from "./bus-logger.js";
import { DLQ_STREAM, deadLetterSubjectFor } from "./streams.js";

export interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly obj: object;
  readonly msg: string | undefined;
}

export function recordingLogger(): BusLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: "info", obj, msg }),
    warn: (obj, msg) => lines.push({ level: "warn", obj, msg }),
    error: (obj, msg) => lines.push({ level: "error", obj, msg }),
  };
}

/**
 * The OTel API keeps no context across awaits until a context manager is registered (the SDK does
 * that in services); this is the same AsyncLocalStorage technique in a few lines.
 */
class AlsContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") return target;
    const run = (...args: unknown[]): unknown => this.with(ctx, () => target(...args));
    return run as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

export function installContextManager(): void {
  context.setGlobalContextManager(new AlsContextManager());
}

export function keyRevokedEvent(keyId = `key_${randomUUID()}`): AnyEventEnvelope {
  const organizationId = `org_${randomUUID()}`;
  return buildEvent(
    "api_key.revoked",
    { service: "test", organizationId, subject: keyId },
    {
      key_id: keyId,
      organization_id: organizationId,
      revoked_at: new Date().toISOString(),
      reason: "revoked",
    },
  );
}

export const newNamespaceId = (): string => `ns_${randomUUID().replaceAll("-", "")}`;

/** A namespace-scoped event: its subject is `strata.evt.<namespaceId>.namespace.created`. */
export function namespaceCreatedEvent(namespaceId: string, name = "n"): AnyEventEnvelope {
  const organizationId = `org_${randomUUID()}`;
  return buildEvent(
    "namespace.created",
    { service: "test", organizationId, namespaceId, subject: namespaceId },
    { namespace_id: namespaceId, organization_id: organizationId, namespace_name: name },
  );
}

/** Publishes straight to the stream, as the relay would. */
export async function publishEvent(
  js: JetStreamClient,
  subject: string,
  event: AnyEventEnvelope,
  traceparent?: string,
): Promise<void> {
  const h = headers();
  if (traceparent !== undefined) h.set("traceparent", traceparent);
  await js.publish(subject, JSON.stringify(event), { msgID: event.id, headers: h });
}

/** How many messages the stream holds on subjects matching `filter`. */
export async function countOnStream(nc: NatsConnection, stream: string, filter: string): Promise<number> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(stream, { subjects_filter: filter });
  const perSubject = info.state.subjects ?? {};
  return Object.values(perSubject).reduce((a, b) => a + b, 0);
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The dead letters of one durable, read back from STRATA_DLQ; fails if there are more. */
export async function readDeadLetters(
  js: JetStreamClient,
  durable: string,
  expected: number,
): Promise<JsMsg[]> {
  const consumer = await js.consumers.get(DLQ_STREAM, { filterSubjects: deadLetterSubjectFor(durable) });
  const out: JsMsg[] = [];
  while (out.length < expected) {
    const m = await consumer.next({ expires: 5_000 });
    if (m === null) break;
    out.push(m);
  }
  // Nothing beyond what was expected.
  expect(await consumer.next({ expires: 1_000 })).toBeNull();
  return out;
}
