import { ensureWorkQueueStream } from "@strata/bus";
import type { NatsConnection } from "nats";
import type { DueAttempt, DueQueue } from "../../domain/ports.js";

/** Holds only attempts that are due now; when they are due lives in the store (DESIGN §4). */
export const WEBHOOK_WORK_STREAM = "STRATA_WORK_WEBHOOKS";
export const WEBHOOK_WORK_SUBJECT = "strata.work.webhook.attempt";

export async function openDueQueue(nc: NatsConnection): Promise<DueQueue> {
  await ensureWorkQueueStream(nc, { name: WEBHOOK_WORK_STREAM, subjects: ["strata.work.webhook.>"] });
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  return {
    backlog: async () => (await jsm.streams.info(WEBHOOK_WORK_STREAM)).state.messages,
    async enqueue(attempts) {
      // Pipelined: one await per batch, not per message. The msg id makes a re-publish a no-op.
      await Promise.all(
        attempts.map((a) =>
          js.publish(
            WEBHOOK_WORK_SUBJECT,
            JSON.stringify({ d: a.deliveryId, v: a.version, w: a.webhookId }),
            {
              msgID: `${a.deliveryId}:${a.version}`,
            },
          ),
        ),
      );
    },
  };
}

export function decodeDueAttempt(data: Uint8Array): DueAttempt | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(data).toString("utf8")) as {
      d?: unknown;
      v?: unknown;
      w?: unknown;
    };
    if (typeof parsed.d !== "string" || typeof parsed.v !== "number" || typeof parsed.w !== "string")
      return undefined;
    return { deliveryId: parsed.d, version: parsed.v, webhookId: parsed.w };
  } catch {
    return undefined;
  }
}
