import type { KV, NatsConnection } from "nats";

/** The few compare-and-set operations idempotency needs from a key-value store. */
export interface IdempotencyStore {
  get(key: string): Promise<{ readonly value: Uint8Array; readonly revision: number } | null>;
  /** The new revision, or "exists" when a live entry is already there. */
  create(key: string, value: Uint8Array): Promise<number | "exists">;
  /** The new revision, or "conflict" when someone wrote the entry since `revision`. */
  update(key: string, value: Uint8Array, revision: number): Promise<number | "conflict">;
  /** Deletes the entry if it is still at `revision`; quietly does nothing otherwise. */
  delete(key: string, revision: number): Promise<void>;
}

export const IDEMPOTENCY_BUCKET = "strata_idempotency";
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

// JetStream's "wrong last sequence": the compare-and-set lost.
const WRONG_LAST_SEQUENCE = 10071;

/** Opens (creating when missing) the KV bucket: history 1, entries expire after 24 h (works on nats-server 2.9). */
export async function openNatsIdempotencyStore(nc: NatsConnection): Promise<IdempotencyStore> {
  const kv = await nc.jetstream().views.kv(IDEMPOTENCY_BUCKET, { history: 1, ttl: IDEMPOTENCY_TTL_MS });
  return natsKvIdempotencyStore(kv);
}

export function natsKvIdempotencyStore(kv: KV): IdempotencyStore {
  return {
    async get(key) {
      const entry = await kv.get(key);
      if (entry === null || entry.operation !== "PUT") return null;
      return { value: entry.value, revision: entry.revision };
    },
    async create(key, value) {
      try {
        return await kv.create(key, value);
      } catch (error: unknown) {
        if (isWrongLastSequence(error)) return "exists";
        throw error;
      }
    },
    async update(key, value, revision) {
      try {
        return await kv.update(key, value, revision);
      } catch (error: unknown) {
        if (isWrongLastSequence(error)) return "conflict";
        throw error;
      }
    },
    async delete(key, revision) {
      try {
        await kv.delete(key, { previousSeq: revision });
      } catch (error: unknown) {
        if (!isWrongLastSequence(error)) throw error;
      }
    },
  };
}

function isWrongLastSequence(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("api_error" in error)) return false;
  const apiError = (error as { api_error?: { err_code?: number } }).api_error;
  return apiError?.err_code === WRONG_LAST_SEQUENCE;
}
