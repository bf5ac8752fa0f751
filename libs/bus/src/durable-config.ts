import type { ConsumerConfig, ConsumerInfo, JetStreamManager } from "nats";
import { apiErrorCode } from "./streams.js";

/** What a consumer asks of its durable; the last four converge on a live durable at every start. */
export type WantedDurable = Pick<
  ConsumerConfig,
  "durable_name" | "ack_policy" | "deliver_policy" | "filter_subject" | "ack_wait" | "max_deliver"
>;

const CONSUMER_NOT_FOUND = 10014;

/**
 * Creates the durable, or brings a live one to the wanted filter, ack wait and max deliver (and
 * clears a server-side redelivery backoff, which would override the ack wait): the settings in the
 * code are the settings in force after a start, whoever created the durable. Replicas starting
 * together may race; a create that loses turns into the same convergence. The delivery policy only
 * applies when the durable is created. A server before 2.10 cannot change a filter in place: that
 * update fails with a message naming the durable.
 */
export async function ensureDurable(
  jsm: JetStreamManager,
  stream: string,
  wanted: WantedDurable,
): Promise<void> {
  const name = wanted.durable_name ?? "";
  let existing = await durableInfo(jsm, stream, name);
  if (existing === undefined) {
    try {
      await jsm.consumers.add(stream, wanted);
      return;
    } catch (e) {
      existing = await durableInfo(jsm, stream, name);
      if (existing === undefined) throw e;
    }
  }
  const live = existing.config;
  const backoff = live.backoff ?? [];
  if (
    (live.filter_subject ?? "") === (wanted.filter_subject ?? "") &&
    live.ack_wait === wanted.ack_wait &&
    live.max_deliver === wanted.max_deliver &&
    backoff.length === 0
  ) {
    return;
  }
  try {
    await jsm.consumers.update(stream, name, {
      filter_subject: wanted.filter_subject ?? "",
      ack_wait: wanted.ack_wait,
      max_deliver: wanted.max_deliver,
      backoff: [],
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(
      `durable ${name} on ${stream} could not be updated to filter ${wanted.filter_subject ?? "(none)"}, ` +
        `ack_wait ${wanted.ack_wait}, max_deliver ${wanted.max_deliver}: ${reason}`,
    );
  }
}

function durableInfo(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo | undefined> {
  return jsm.consumers.info(stream, name).catch((e: unknown) => {
    if (apiErrorCode(e) === CONSUMER_NOT_FOUND) return undefined;
    throw e;
  });
}
