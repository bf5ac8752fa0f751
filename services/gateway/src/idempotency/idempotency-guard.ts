import { type AppError, conflict, err, ok, type Result, unavailable, validationFailed } from "@strata/errors";
import {
  bodyFingerprint,
  deriveIdempotencyKey,
  open,
  requestTokenOf,
  type Sealed,
  seal,
  storageKeyOf,
} from "./idempotency-crypto.js";
import type { IdempotencyStore } from "./idempotency-store.js";

export interface IdempotentRequest {
  readonly organizationId: string;
  readonly keyId: string;
  /** The presented API key secret: the sealing key is derived from it. */
  readonly apiKeySecret: string;
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string;
  readonly body: unknown;
}

export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type IdempotencyDecision =
  | { readonly kind: "replay"; readonly answer: StoredAnswer }
  | {
      readonly kind: "proceed";
      /**
       * The same for every attempt of this request (same caller, key and body): the service records
       * it with what it creates, so an attempt that takes over from a dead one gets the first
       * resource back instead of a second one (ADR 0016).
       */
      readonly requestToken: string;
      finish(answer: StoredAnswer): Promise<void>;
    };

type Entry =
  | { readonly v: 1; readonly state: "pending"; readonly fp: string; readonly started_at: number }
  | { readonly v: 1; readonly state: "done"; readonly fp: string; readonly answer: Sealed };

const HEADER_LOCATION = "header.idempotency-key";
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Idempotency-Key handling: the first request with a key runs and its successful answer is kept
 * (sealed, 24 h); a retry with the same body gets that answer back; the same key with another body
 * is a 422; a duplicate that arrives while the first is still running is a 409. Failed answers are
 * not kept, so a retry after a failure runs again. A pending entry whose lease ran out belongs to an
 * attempt that died with its process; the retry takes over with the same request token.
 */
export class IdempotencyGuard {
  readonly #store: IdempotencyStore;
  readonly #now: () => number;
  readonly #pendingLeaseMs: number;

  constructor(options: { store: IdempotencyStore; now?: () => number; pendingLeaseMs?: number }) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    // A request still "in flight" after this long died with its process; a retry may take over.
    this.#pendingLeaseMs = options.pendingLeaseMs ?? 60_000;
  }

  async begin(request: IdempotentRequest): Promise<Result<IdempotencyDecision, AppError>> {
    if (!VALID_KEY.test(request.idempotencyKey)) {
      return err(
        validationFailed([
          {
            location: HEADER_LOCATION,
            message: "Idempotency-Key must be 1 to 255 printable ASCII characters",
            type: "invalid_format",
          },
        ]),
      );
    }
    const storageKey = storageKeyOf([
      request.organizationId,
      request.keyId,
      request.method,
      request.path,
      request.idempotencyKey,
    ]);
    const cryptoKey = deriveIdempotencyKey(request.apiKeySecret, request.idempotencyKey);
    const fp = bodyFingerprint(request.body, cryptoKey);
    try {
      return await this.#begin(storageKey, cryptoKey, fp);
    } catch {
      return err(unavailable("The idempotency store is unavailable"));
    }
  }

  async #begin(
    storageKey: string,
    cryptoKey: Buffer,
    fp: string,
  ): Promise<Result<IdempotencyDecision, AppError>> {
    const pending = encode({ v: 1, state: "pending", fp, started_at: this.#now() });
    const created = await this.#store.create(storageKey, pending);
    if (created !== "exists") return ok(this.#proceed(storageKey, cryptoKey, fp, created));
    const current = await this.#store.get(storageKey);
    // Gone between create and get (deleted by the first request's failure): the caller may retry.
    if (current === null) return err(inFlight());
    const entry = decode(current.value);
    if (entry === undefined || entry.fp !== fp) return err(reusedWithOtherBody());
    if (entry.state === "done") {
      const plaintext = open(entry.answer, cryptoKey, storageKey);
      const answer = plaintext === undefined ? undefined : parseAnswer(plaintext);
      return answer === undefined ? err(reusedWithOtherBody()) : ok({ kind: "replay", answer });
    }
    if (this.#now() - entry.started_at < this.#pendingLeaseMs) return err(inFlight());
    const taken = await this.#store.update(storageKey, pending, current.revision);
    if (taken === "conflict") return err(inFlight());
    return ok(this.#proceed(storageKey, cryptoKey, fp, taken));
  }

  #proceed(storageKey: string, cryptoKey: Buffer, fp: string, revision: number): IdempotencyDecision {
    return {
      kind: "proceed",
      requestToken: requestTokenOf(storageKey, fp),
      finish: async (answer) => {
        if (answer.status >= 200 && answer.status < 300) {
          const sealed = seal(JSON.stringify(answer), cryptoKey, storageKey);
          await this.#store.update(storageKey, encode({ v: 1, state: "done", fp, answer: sealed }), revision);
        } else {
          await this.#store.delete(storageKey, revision);
        }
      },
    };
  }
}

function inFlight(): AppError {
  return conflict("A request with this Idempotency-Key is still in progress", {
    reason: "idempotency_key_in_use",
  });
}

function reusedWithOtherBody(): AppError {
  return validationFailed(
    [
      {
        location: HEADER_LOCATION,
        message: "This Idempotency-Key was already used with a different request",
        type: "idempotency_key_reused",
      },
    ],
    "Idempotency-Key reused with a different request",
  );
}

function encode(entry: Entry): Uint8Array {
  return Buffer.from(JSON.stringify(entry), "utf8");
}

function decode(value: Uint8Array): Entry | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value).toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const entry = parsed as Partial<Entry>;
    if (entry.v !== 1 || typeof entry.fp !== "string") return undefined;
    if (entry.state === "pending" && typeof entry.started_at === "number") return entry as Entry;
    if (entry.state === "done" && typeof entry.answer === "object") return entry as Entry;
    return undefined;
  } catch {
    return undefined;
  }
}

function parseAnswer(plaintext: string): StoredAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(plaintext);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { status, body } = parsed as { status?: unknown; body?: unknown };
    return typeof status === "number" ? { status, body } : undefined;
  } catch {
    return undefined;
  }
}
