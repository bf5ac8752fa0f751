import { z } from "zod";
import { EVENT_TYPES, eventCatalog } from "./catalog.js";
import {
  DEAD_LETTER_HEADER_DESCRIPTIONS,
  DEAD_LETTER_HEADERS,
  DLQ_STREAM,
  DLQ_SUBJECT_ROOT,
} from "./dead-letter.js";
import { EVENTS_STREAM, EVENTS_SUBJECT_ROOT } from "./envelope.js";

/**
 * The AsyncAPI 3.0 description of the event catalogue, generated from the same zod schemas that
 * producers and consumers validate with, so it cannot drift from the code.
 */
export function asyncApiDocument(version: string): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const type of EVENT_TYPES) {
    const entry = eventCatalog[type];
    const key = type.replaceAll(".", "_");
    const scopeDescription =
      entry.scope === "namespace" ? "The namespace id (ns_…)." : "`_org_` followed by the organization id.";
    messages[key] = {
      name: type,
      title: type,
      summary: entry.summary,
      contentType: "application/json",
      headers: {
        type: "object",
        properties: {
          "Nats-Msg-Id": {
            type: "string",
            description: "Equals the envelope id; JetStream drops duplicates.",
          },
          traceparent: {
            type: "string",
            description: "W3C trace context of the change that caused the event.",
          },
        },
      },
      payload: envelopeJsonSchema(
        type,
        entry.scope === "namespace",
        z.toJSONSchema(entry.data, { io: "output" }),
      ),
    };
    channels[key] = {
      address: `${EVENTS_SUBJECT_ROOT}.{scope}.${type}`,
      description: `Stream ${EVENTS_STREAM}. ${entry.summary}`,
      parameters: { scope: { description: scopeDescription } },
      messages: { [key]: { $ref: `#/components/messages/${key}` } },
    };
    operations[`publish_${key}`] = {
      action: "send",
      channel: { $ref: `#/channels/${key}` },
      summary: `Strata publishes ${type}.`,
      messages: [{ $ref: `#/channels/${key}/messages/${key}` }],
    };
  }
  addDeadLetters(channels, operations, messages);
  return {
    asyncapi: "3.0.0",
    info: {
      title: "Strata domain events",
      version,
      description:
        "Domain events on NATS JetStream: CloudEvents 1.0 JSON envelopes with the extension attributes " +
        "`organizationid` and `namespaceid`. Consumers should be idempotent on `id`.",
    },
    defaultContentType: "application/json",
    servers: {
      nats: { host: "localhost:4222", protocol: "nats", description: "The platform's NATS JetStream" },
    },
    channels,
    operations,
    components: { messages },
  };
}

const DEAD_LETTER = "dead_letter";

/** The one dead-letter format that every durable consumer writes (libs/bus). */
function addDeadLetters(
  channels: Record<string, unknown>,
  operations: Record<string, unknown>,
  messages: Record<string, unknown>,
): void {
  const headers: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(DEAD_LETTER_HEADERS)) {
    const description = DEAD_LETTER_HEADER_DESCRIPTIONS[key as keyof typeof DEAD_LETTER_HEADERS];
    headers[name] = { type: "string", description };
  }
  messages[DEAD_LETTER] = {
    name: DEAD_LETTER,
    title: "dead letter",
    summary: "A message a durable consumer gave up on, kept for a human to look at.",
    description:
      "The body is the original message's bytes, unchanged: an event envelope, a work item, or " +
      "whatever failed to decode. The original headers (traceparent …) are kept, except `Nats-*`.",
    headers: { type: "object", required: Object.values(DEAD_LETTER_HEADERS), properties: headers },
    payload: { description: "The original message, byte for byte." },
  };
  channels[DEAD_LETTER] = {
    address: `${DLQ_SUBJECT_ROOT}.{consumer}`,
    description: `Stream ${DLQ_STREAM}. Dead letters of event consumers and work-queue consumers alike.`,
    parameters: { consumer: { description: "The durable consumer's name." } },
    messages: { [DEAD_LETTER]: { $ref: `#/components/messages/${DEAD_LETTER}` } },
  };
  operations[`publish_${DEAD_LETTER}`] = {
    action: "send",
    channel: { $ref: `#/channels/${DEAD_LETTER}` },
    summary: "A Strata consumer dead-letters a message it gave up on.",
    messages: [{ $ref: `#/channels/${DEAD_LETTER}/messages/${DEAD_LETTER}` }],
  };
}

function envelopeJsonSchema(type: string, namespaced: boolean, data: unknown): Record<string, unknown> {
  const required = [
    "specversion",
    "id",
    "source",
    "type",
    "time",
    "subject",
    "datacontenttype",
    "organizationid",
    "data",
  ];
  return {
    type: "object",
    required: namespaced ? [...required, "namespaceid"] : required,
    properties: {
      specversion: { const: "1.0" },
      id: { type: "string", description: "evt_…; also the Nats-Msg-Id" },
      source: { type: "string", examples: ["/strata/auth"] },
      type: { const: type },
      time: { type: "string", format: "date-time" },
      subject: { type: "string", description: "The id of the resource the event is about" },
      datacontenttype: { const: "application/json" },
      organizationid: { type: "string" },
      namespaceid: { type: "string" },
      data,
    },
  };
}
