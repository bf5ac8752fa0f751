import { type AnyEventEnvelope, EVENTS_STREAM, parseEvent } from "@strata/events";
import type { NatsConnection } from "nats";

/** Test helper: every event on STRATA_EVENTS, read with an ordered JetStream consumer. */
export async function readEventStream(nc: NatsConnection): Promise<AnyEventEnvelope[]> {
  const jsm = await nc.jetstreamManager();
  const total = (await jsm.streams.info(EVENTS_STREAM)).state.messages;
  if (total === 0) return [];
  const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM);
  const events: AnyEventEnvelope[] = [];
  const messages = await consumer.fetch({ max_messages: total, expires: 2000 });
  for await (const message of messages) {
    const parsed = parseEvent(message.data);
    if (!parsed.ok) throw new Error(`unparseable event on the stream: ${parsed.reason}`);
    events.push(parsed.event);
    if (events.length === total) break;
  }
  await consumer.delete();
  return events;
}
