import { newId } from "@strata/ids";
import { CloudEvent } from "cloudevents";
import { z } from "zod";
import { type EventData, type EventType, eventCatalog, isEventType } from "./catalog.js";

/** One stream holds every domain event. */
export const EVENTS_STREAM = "STRATA_EVENTS";
export const EVENTS_SUBJECT_ROOT = "strata.evt";

/**
 * A CloudEvents 1.0 JSON envelope with two extension attributes. `id` doubles as the JetStream
 * `Nats-Msg-Id`, so a re-publish inside the stream's duplicate window is dropped.
 */
export interface EventEnvelope<T extends EventType = EventType> {
  readonly specversion: "1.0";
  readonly id: string;
  readonly source: string;
  readonly type: T;
  readonly time: string;
  readonly subject: string;
  readonly datacontenttype: "application/json";
  readonly organizationid: string;
  readonly namespaceid?: string;
  readonly data: EventData<T>;
}

export type AnyEventEnvelope = { [T in EventType]: EventEnvelope<T> }[EventType];

export interface EventOrigin {
  /** The emitting service, e.g. "auth"; the envelope's source becomes "/strata/auth". */
  readonly service: string;
  readonly organizationId: string;
  /** Required for namespace-scoped event types. */
  readonly namespaceId?: string;
  /** The resource the event is about (a key id, a namespace id …). */
  readonly subject: string;
  readonly time?: Date;
}

export function buildEvent<T extends EventType>(
  type: T,
  origin: EventOrigin,
  data: EventData<T>,
): EventEnvelope<T> {
  const entry = eventCatalog[type];
  if (entry.scope === "namespace" && origin.namespaceId === undefined) {
    throw new Error(`event ${type} is namespace-scoped and needs a namespace id`);
  }
  // Validate the data against the catalogue and the envelope against the CloudEvents spec; a
  // failure here is a bug in the emitting service, so it throws.
  const parsed = entry.data.parse(data) as EventData<T>;
  const envelope: EventEnvelope<T> = {
    specversion: "1.0",
    id: newId("event"),
    source: `/strata/${origin.service}`,
    type,
    time: (origin.time ?? new Date()).toISOString(),
    subject: origin.subject,
    datacontenttype: "application/json",
    organizationid: origin.organizationId,
    ...(origin.namespaceId === undefined ? {} : { namespaceid: origin.namespaceId }),
    data: parsed,
  };
  new CloudEvent({ ...envelope }, true);
  return envelope;
}

/** `strata.evt.<namespace id>.<type>`, or `strata.evt._org_<organization id>.<type>`. */
export function subjectOf(envelope: Pick<EventEnvelope, "type" | "organizationid" | "namespaceid">): string {
  const scope = envelope.namespaceid ?? `_org_${envelope.organizationid}`;
  return `${EVENTS_SUBJECT_ROOT}.${scope}.${envelope.type}`;
}

/** The event type a subject names (see `subjectOf`), read without decoding the message; undefined for another subject. */
export function eventTypeOfSubject(subject: string): string | undefined {
  const prefix = `${EVENTS_SUBJECT_ROOT}.`;
  if (!subject.startsWith(prefix)) return undefined;
  const scopeEnd = subject.indexOf(".", prefix.length);
  return scopeEnd < 0 ? undefined : subject.slice(scopeEnd + 1);
}

/** A subject filter for one event type in every scope, e.g. `strata.evt.*.api_key.revoked`. */
export function subjectFilterFor(type: EventType | ">"): string {
  return type === ">" ? `${EVENTS_SUBJECT_ROOT}.>` : `${EVENTS_SUBJECT_ROOT}.*.${type}`;
}

const envelopeSchema = z.object({
  specversion: z.literal("1.0"),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string(),
  time: z.iso.datetime({ offset: true }),
  subject: z.string(),
  datacontenttype: z.literal("application/json"),
  organizationid: z.string().min(1),
  namespaceid: z.string().min(1).optional(),
  data: z.unknown(),
});

export type ParseEventFailure = { readonly reason: string };

/** Decodes and validates an event from the wire. Consumers dead-letter what fails here. */
export function parseEvent(
  raw: Uint8Array | string,
): { ok: true; event: AnyEventEnvelope } | { ok: false; reason: string } {
  let json: unknown;
  try {
    // A view, not Buffer.from(raw): that copies every message's bytes before decoding them.
    const text =
      typeof raw === "string"
        ? raw
        : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8");
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, reason: `bad envelope: ${envelope.error.message}` };
  const { type } = envelope.data;
  if (!isEventType(type)) return { ok: false, reason: `unknown event type ${type}` };
  const data = eventCatalog[type].data.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, reason: `bad ${type} data: ${data.error.message}` };
  return { ok: true, event: { ...envelope.data, type, data: data.data } as AnyEventEnvelope };
}
