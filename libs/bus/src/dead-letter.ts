import { DEAD_LETTER_HEADERS } from "@strata/events";
import { headers, type JetStreamClient, type JsMsg } from "nats";

/**
 * Publishes `m` to `subject` in the one dead-letter format (documented in the AsyncAPI document):
 * the original bytes, the original headers except `Nats-*`, and the DEAD_LETTER_HEADERS. It does not
 * settle `m`; the caller terms it once this resolved.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  subject: string,
  consumer: string,
  m: JsMsg,
  reason: string,
): Promise<void> {
  const h = headers();
  for (const key of m.headers?.keys() ?? []) {
    // Nats-* headers (the original Msg-Id above all) belong to the original publish.
    if (key.toLowerCase().startsWith("nats-")) continue;
    for (const value of m.headers?.values(key) ?? []) h.append(key, value);
  }
  h.set(DEAD_LETTER_HEADERS.reason, headerSafe(reason));
  h.set(DEAD_LETTER_HEADERS.subject, m.subject);
  h.set(DEAD_LETTER_HEADERS.sequence, String(m.info.streamSequence));
  h.set(DEAD_LETTER_HEADERS.consumer, consumer);
  h.set(DEAD_LETTER_HEADERS.attempts, String(m.info.deliveryCount));
  // The msg id makes a repeated dead-lettering of the same message (after a crash) a no-op.
  await js.publish(subject, m.data, { headers: h, msgID: `${consumer}:${m.info.streamSequence}` });
}

function headerSafe(value: string): string {
  return value.replace(/[\r\n]+/g, " ").slice(0, 1000);
}
