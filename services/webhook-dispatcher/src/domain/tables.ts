import type { StoredRecord, TableSpec } from "@strata/docstore";

export const WEBHOOKS_TABLE = "webhooks";
export const DELIVERIES_TABLE = "deliveries";
export const ATTEMPTS_TABLE = "delivery_attempts";

export const WEBHOOK_TABLE_SPECS: readonly TableSpec[] = [
  {
    name: WEBHOOKS_TABLE,
    indexes: [
      // Fan-out reads the webhooks of one organization for every event.
      { fields: ["organization_id", "is_active"] },
      { fields: ["organization_id", "namespace_id", "created_at"] },
    ],
  },
  {
    name: DELIVERIES_TABLE,
    indexes: [
      // The scheduler's question: which pending deliveries are due.
      { fields: ["status", "next_attempt_at"] },
      { fields: ["webhook_id", "created_at"] },
      { fields: ["organization_id", "namespace_id"] },
      // Retention: payloads older than the retention period are purged.
      { fields: ["created_at"] },
    ],
  },
  { name: ATTEMPTS_TABLE, indexes: [{ fields: ["delivery_id", "at"] }, { fields: ["at"] }] },
];

export type DisabledReason = "gone" | "failing";

export interface WebhookRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  /** Null for an organization-wide webhook. */
  readonly namespace_id: string | null;
  /** An organization-wide webhook's narrowing; empty = every namespace. */
  readonly namespaces: readonly string[];
  readonly name: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  /** Sends per second at most, per replica (ADR 0026); absent or null: unlimited. */
  readonly rate_limit_per_second?: number | null;
  readonly is_active: boolean;
  readonly disabled_reason: DisabledReason | null;
  /** The signing secret, sealed with the service's key (never stored in clear). */
  readonly secret_sealed: string;
  /** The secret before the last rotation, signing too until previous_secret_until. */
  readonly previous_secret_sealed: string | null;
  readonly previous_secret_until: string | null;
  /** First failure of the current run of failures; null after any success. */
  readonly failing_since: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export type DeliveryStatus = "pending" | "succeeded" | "failed";

/** One (event, webhook) pair: its payload, where it stands, and when it is next due. */
export interface DeliveryRecord extends StoredRecord {
  readonly id: string;
  readonly webhook_id: string;
  readonly organization_id: string;
  readonly namespace_id: string | null;
  /** The event id: the webhook-id header, the same on every attempt. */
  readonly event_id: string;
  readonly event_type: string;
  /** The CloudEvent as JSON text: the exact bytes signed and sent. */
  readonly payload: string;
  readonly status: DeliveryStatus;
  /** Attempts made so far. */
  readonly attempts: number;
  /**
   * When the next attempt is due; while an attempt is claimed (on the work queue or being sent),
   * when that claim runs out and a scheduler may enqueue it again.
   */
  readonly next_attempt_at: string;
  /**
   * Which worker's take the attempt in flight is: its outcome is recorded if the delivery still
   * carries it, even when a scheduler re-claimed the delivery meanwhile (a slow outcome write is
   * not a lost one; the re-enqueued copy then finds a new version and is dropped).
   */
  readonly take_id?: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface AttemptRecord extends StoredRecord {
  readonly id: string;
  readonly delivery_id: string;
  readonly webhook_id: string;
  readonly at: string;
  /** 0 when no answer came. */
  readonly status_code: number;
  readonly latency_ms: number;
  readonly response_excerpt: string;
  readonly error: string;
}
