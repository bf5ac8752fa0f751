import { z } from "zod";
import {
  aclRuleState,
  batchSummary,
  documentField,
  documentRef,
  isoTime,
  permission,
  principalState,
  tier,
} from "./catalog-shapes.js";

/**
 * The event catalogue: one zod schema per event type. It is a public contract (other internal
 * services subscribe to these subjects), so AsyncAPI is generated from it and consumers validate
 * with it. Add a type here, never change the meaning of an existing field.
 */
export const eventCatalog = {
  "api_key.created": {
    scope: "organization",
    summary: "An API key was created (also when a rotation issues the replacement key).",
    data: z.object({
      key_id: z.string(),
      organization_id: z.string(),
      name: z.string(),
      permissions: z.array(permission),
      namespaces: z.array(z.string()).describe("Empty means every namespace of the organization"),
      expires_at: isoTime.nullable(),
      principal_id: z.string().nullable(),
      rotated_from: z.string().nullable(),
    }),
  },
  "api_key.revoked": {
    scope: "organization",
    summary:
      "An API key stopped working: revoked, ended at once by a rotation, or its only namespace was deleted.",
    data: z.object({
      key_id: z.string(),
      organization_id: z.string(),
      revoked_at: isoTime,
      reason: z
        .enum(["revoked", "rotated", "namespace_deleted"])
        .describe("Revoked by a caller, ended by a rotation, or restricted to a namespace that was deleted"),
    }),
  },
  "api_key.rotated": {
    scope: "organization",
    summary: "An API key was replaced; it keeps working until `expires_at`, then stops.",
    data: z.object({
      key_id: z.string(),
      organization_id: z.string(),
      replaced_by: z.string(),
      expires_at: isoTime,
    }),
  },
  "principal.created": {
    scope: "organization",
    summary: "A principal (an end user of the organization's application) was created.",
    data: z.object(principalState),
  },
  "principal.updated": {
    scope: "organization",
    summary:
      "A principal's roles or attributes changed; compiled ACL filters and cached keys for it are dropped.",
    data: z.object(principalState),
  },
  "principal.deleted": {
    scope: "organization",
    summary: "A principal was deleted; keys bound to it act with no roles or attributes.",
    data: z.object(principalState),
  },
  "namespace.created": {
    scope: "namespace",
    summary: "A namespace was created.",
    data: z.object({ namespace_id: z.string(), organization_id: z.string(), namespace_name: z.string() }),
  },
  "namespace.updated": {
    scope: "namespace",
    summary: "A namespace was renamed or its description changed.",
    data: z.object({
      namespace_id: z.string(),
      organization_id: z.string(),
      namespace_name: z.string(),
      previous_namespace_name: z.string(),
      description: z.string(),
    }),
  },
  "namespace.deleted": {
    scope: "namespace",
    summary: "A namespace was deleted; its name may be taken again.",
    data: z.object({ namespace_id: z.string(), organization_id: z.string(), namespace_name: z.string() }),
  },
  "namespace.cloned": {
    scope: "namespace",
    summary:
      "A namespace clone is ready: the namespace service copied its part; other services copy theirs (retrievers, alerts, ACL rules, webhooks when asked).",
    data: z.object({
      namespace_id: z.string().describe("The clone"),
      organization_id: z.string(),
      namespace_name: z.string(),
      source_namespace_id: z.string(),
      task_id: z.string(),
      include_webhooks: z.boolean().describe("Copy the source's webhooks too, inactive"),
    }),
  },
  "document.created": {
    scope: "namespace",
    summary: "A document was written to a collection (metadata, vectors, text, labels).",
    data: z.object({
      ...documentRef,
      feature_uris: z.array(z.string()).describe("The features the document holds a vector for"),
    }),
  },
  "document.updated": {
    scope: "namespace",
    summary: "A document's metadata, vectors, text or taxonomy labels changed.",
    data: z.object({
      ...documentRef,
      feature_uris: z.array(z.string()).describe("The features the document holds a vector for now"),
      changed_fields: z.array(documentField).describe("The top-level fields the update replaced"),
    }),
  },
  "document.deleted": {
    scope: "namespace",
    summary:
      "A document was deleted, alone or with its collection or namespace; its vectors must go from every tier.",
    data: z.object({
      ...documentRef,
      cause: z
        .enum(["document_deleted", "collection_deleted", "namespace_deleted"])
        .describe("What deleted it: the document itself, its collection, or its namespace"),
    }),
  },
  "batch.completed": {
    scope: "namespace",
    summary:
      "A document batch finished with at least one document written; `failed` counts the items refused.",
    data: z.object(batchSummary),
  },
  "batch.failed": {
    scope: "namespace",
    summary: "A document batch finished with every item refused (see GET /v1/batches/{id} for the errors).",
    data: z.object(batchSummary),
  },
  "acl_rule.created": {
    scope: "namespace",
    summary: "A document ACL rule was created in a namespace.",
    data: z.object(aclRuleState),
  },
  "acl_rule.updated": {
    scope: "namespace",
    summary: "A document ACL rule changed; every compiled filter of its namespace is dropped.",
    data: z.object(aclRuleState),
  },
  "acl_rule.deleted": {
    scope: "namespace",
    summary: "A document ACL rule was deleted.",
    data: z.object(aclRuleState),
  },
  "alert.triggered": {
    scope: "namespace",
    summary:
      "A new document matched an alert: it is in the retriever's collections, passes its filters and scores at or above the alert's threshold.",
    data: z.object({
      alert_id: z.string(),
      alert_name: z.string(),
      retriever_id: z.string(),
      document_id: z.string(),
      collection_id: z.string(),
      namespace_id: z.string(),
      organization_id: z.string(),
      score: z.number().describe("Higher is better for every metric"),
      score_threshold: z.number(),
    }),
  },
  "document.accessed": {
    scope: "namespace",
    summary:
      "Documents of one namespace were read or returned by searches during a short window; an event carries the window's counts for up to 500 documents (a busier window is split over several events), never one event per hit. Internal, for tiering: never delivered to webhooks.",
    webhooks: false,
    data: z.object({
      namespace_id: z.string(),
      organization_id: z.string(),
      window_start: isoTime,
      window_end: isoTime,
      accesses: z
        .array(
          z.object({
            collection_id: z.string(),
            document_id: z.string(),
            tier,
            reads: z.number().int().nonnegative().describe("Direct gets of the document"),
            hits: z.number().int().nonnegative().describe("Times a search returned it"),
            last_accessed_at: isoTime,
          }),
        )
        .min(1),
    }),
  },
  "tier.migrated": {
    scope: "namespace",
    summary:
      "Documents moved between storage tiers: each was copied, verified, its tier pointer switched and its source copy deleted.",
    data: z.object({
      namespace_id: z.string(),
      organization_id: z.string(),
      reason: z
        .enum(["manual", "policy", "access", "read"])
        .describe(
          "A call to the move API, the tiering policy's sweep, a promotion by access counts, or a direct read of a cold document",
        ),
      moved_at: isoTime,
      moves: z
        .array(
          z.object({
            collection_id: z.string(),
            document_id: z.string(),
            from_tier: tier,
            to_tier: tier,
          }),
        )
        .min(1),
    }),
  },
  "webhook.disabled": {
    scope: "organization",
    summary:
      "A webhook stopped receiving events: its endpoint answered 410 Gone, or every attempt failed for the configured period. Re-enable it by API.",
    data: z.object({
      webhook_id: z.string(),
      webhook_name: z.string(),
      organization_id: z.string(),
      namespace_id: z.string().nullable().describe("Null for an organization-wide webhook"),
      url: z.string(),
      reason: z.enum(["gone", "failing"]).describe("410 Gone, or continuous failure for the disable period"),
      failing_since: isoTime.nullable(),
    }),
  },
  "webhook.test": {
    scope: "organization",
    summary:
      "Sent by POST /v1/webhooks/{id}/test to that webhook alone, signed and retried like any other event; never published for other consumers.",
    data: z.object({
      webhook_id: z.string(),
      message: z.string(),
    }),
  },
  "manifest.applied": {
    scope: "namespace",
    summary:
      "A manifest apply changed the namespace's configuration (an apply that changed nothing emits no event). Lists what changed by kind and name.",
    data: z.object({
      apply_id: z.string(),
      namespace_id: z.string(),
      organization_id: z.string(),
      manifest_name: z.string(),
      plan_hash: z.string().describe("The hash of the plan that was carried out"),
      changes: z.array(
        z.object({
          kind: z.string().describe("The manifest section, e.g. buckets"),
          name: z.string(),
          action: z.enum(["create", "update", "replace", "delete"]),
        }),
      ),
    }),
  },
} as const satisfies Record<
  string,
  {
    scope: "organization" | "namespace";
    summary: string;
    data: z.ZodType;
    /** false: an internal event, for the platform's own services; no webhook receives it. */
    webhooks?: false;
  }
>;

export type EventCatalog = typeof eventCatalog;
export type EventType = keyof EventCatalog;
export type EventData<T extends EventType> = z.infer<EventCatalog[T]["data"]>;
export const EVENT_TYPES = Object.keys(eventCatalog) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventCatalog, value);
}

/** Whether this is an internal event type (marked `webhooks: false`): no webhook receives it. */
export function isInternalEventType(value: string): boolean {
  return isEventType(value) && "webhooks" in eventCatalog[value];
}
