import { describe, expect, it } from "vitest";
import {
  asyncApiDocument,
  buildEvent,
  DEAD_LETTER_HEADERS,
  EVENT_TYPES,
  parseEvent,
  subjectOf,
} from "./index.js";

const origin = { service: "auth", organizationId: "org_abc", subject: "key_1" };

describe("event envelope", () => {
  it("builds a CloudEvents envelope and parses it back", () => {
    const event = buildEvent("api_key.revoked", origin, {
      key_id: "key_1",
      organization_id: "org_abc",
      revoked_at: new Date().toISOString(),
      reason: "revoked",
    });
    expect(event.specversion).toBe("1.0");
    expect(event.id).toMatch(/^evt_/);
    expect(event.source).toBe("/strata/auth");
    const parsed = parseEvent(JSON.stringify(event));
    expect(parsed).toEqual({ ok: true, event });
  });

  it("routes organization events and namespace events to their subjects", () => {
    const orgEvent = buildEvent("api_key.rotated", origin, {
      key_id: "key_1",
      organization_id: "org_abc",
      replaced_by: "key_2",
      expires_at: new Date().toISOString(),
    });
    expect(subjectOf(orgEvent)).toBe("strata.evt._org_org_abc.api_key.rotated");
    const nsEvent = buildEvent(
      "namespace.created",
      { service: "namespace", organizationId: "org_abc", namespaceId: "ns_x", subject: "ns_x" },
      { namespace_id: "ns_x", organization_id: "org_abc", namespace_name: "prod" },
    );
    expect(subjectOf(nsEvent)).toBe("strata.evt.ns_x.namespace.created");
  });

  it("refuses a namespace event without a namespace and data that breaks the schema", () => {
    expect(() =>
      buildEvent("namespace.deleted", origin, {
        namespace_id: "ns_x",
        organization_id: "org_abc",
        namespace_name: "x",
      }),
    ).toThrow(/namespace-scoped/);
    const badData = { key_id: "k", organization_id: "o", revoked_at: "now", reason: "x" };
    // @ts-expect-error: reason must be one of the catalogue's values
    expect(() => buildEvent("api_key.revoked", origin, badData)).toThrow();
  });

  it("rejects what is not a valid event", () => {
    expect(parseEvent("{").ok).toBe(false);
    expect(parseEvent(JSON.stringify({ specversion: "1.0" })).ok).toBe(false);
    const event = buildEvent(
      "namespace.created",
      { ...origin, namespaceId: "ns_x" },
      {
        namespace_id: "ns_x",
        organization_id: "org_abc",
        namespace_name: "prod",
      },
    );
    expect(parseEvent(JSON.stringify({ ...event, type: "nope.happened" }))).toEqual({
      ok: false,
      reason: "unknown event type nope.happened",
    });
    expect(parseEvent(JSON.stringify({ ...event, data: { namespace_id: 3 } })).ok).toBe(false);
  });
});

describe("AsyncAPI", () => {
  it("describes every event type with its data schema", () => {
    const doc = asyncApiDocument("test") as {
      asyncapi: string;
      channels: Record<string, { address: string }>;
      components: {
        messages: Record<string, { payload: { properties: { data: { required?: string[] } } } }>;
      };
    };
    expect(doc.asyncapi).toBe("3.0.0");
    for (const type of EVENT_TYPES) {
      const key = type.replaceAll(".", "_");
      expect(doc.channels[key]?.address).toBe(`strata.evt.{scope}.${type}`);
      expect(doc.components.messages[key]?.payload.properties.data.required?.length).toBeGreaterThan(0);
    }
  });
});

describe("AsyncAPI dead letters", () => {
  it("documents the one dead-letter format with every header the consumers write", () => {
    const doc = asyncApiDocument("test") as {
      channels: Record<string, { address: string; description: string }>;
      components: {
        messages: Record<string, { headers: { required: string[]; properties: Record<string, unknown> } }>;
      };
    };
    expect(doc.channels.dead_letter?.address).toBe("strata.dlq.{consumer}");
    expect(doc.channels.dead_letter?.description).toMatch(/^Stream STRATA_DLQ\./);
    const headers = doc.components.messages.dead_letter?.headers;
    expect(headers?.required).toEqual([
      "Strata-Dead-Reason",
      "Strata-Original-Subject",
      "Strata-Original-Sequence",
      "Strata-Consumer",
      "Strata-Attempts",
    ]);
    expect(Object.keys(headers?.properties ?? {})).toEqual(Object.values(DEAD_LETTER_HEADERS));
  });
});
