// Test support: publish a domain event the way a service's outbox relay does.
import { ensureEventStream } from "@strata/bus";
import { type AnyEventEnvelope, subjectOf } from "@strata/events";
import type { NatsConnection } from "nats";

export async function publishEvent(nc: NatsConnection, event: AnyEventEnvelope): Promise<void> {
  await ensureEventStream(nc);
  await nc.jetstream().publish(subjectOf(event), Buffer.from(JSON.stringify(event)), { msgID: event.id });
}

/** Polls `check` until it returns true, failing after `withinMs`; returns how long it took. */
export async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
