import type { DocStore, DocStoreSession } from "@strata/docstore";
import type { EventEnvelope } from "@strata/events";

/** The timings of delivery; production defaults in config.ts, compressed in tests. */
export interface DispatchSettings {
  /** Delay before each retry: the first attempt is immediate, then these (ms). */
  readonly retryScheduleMs: readonly number[];
  /** ±fraction applied to each retry delay (0.2 = ±20 %). */
  readonly jitter: number;
  readonly requestTimeoutMs: number;
  /** How long a claimed attempt may wait on the queue and run before another replica may take it. */
  readonly claimMs: number;
  /** Continuous failure for this long disables the webhook. */
  readonly disableAfterMs: number;
  /** After a rotation, the previous secret signs too for this long. */
  readonly rotationOverlapMs: number;
  /** At most this many attempts to one endpoint at once in one replica. */
  readonly perEndpointConcurrency: number;
}

/** Seals secrets at rest; `open` of another key's output throws. */
export interface SecretSealer {
  seal(secret: string): string;
  open(sealed: string): string;
}

/** A claimed attempt that is due now: the worker sends it if the delivery still has that version. */
export interface DueAttempt {
  readonly deliveryId: string;
  readonly version: number;
  /** Its endpoint: the worker admits it (concurrency, rate) before it reads the store. */
  readonly webhookId: string;
}

export interface DueQueue {
  enqueue(attempts: readonly DueAttempt[]): Promise<void>;
  /** Attempts waiting on the queue now. */
  backlog(): Promise<number>;
}

/** Why a URL may not be registered (a literal blocked address), or undefined when it may. */
export type UrlRefusal = (url: URL) => string | undefined;

export interface SendRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

export interface SendOutcome {
  /** 0 when no answer came. */
  readonly statusCode: number;
  readonly latencyMs: number;
  readonly responseExcerpt: string;
  /** Why no answer came (timeout, refused, blocked address); empty otherwise. */
  readonly error: string;
  /** Seconds from the Retry-After header, when the answer had one. */
  readonly retryAfterSeconds?: number;
}

export type WebhookSender = (request: SendRequest) => Promise<SendOutcome>;

export interface WebhookPorts {
  readonly store: DocStore;
  readonly appendEvent: (tx: DocStoreSession, event: EventEnvelope) => Promise<void>;
  readonly eventsCommitted: () => void;
  readonly clock: () => Date;
  /** In [0, 1): jitter. Tests may fix it. */
  readonly random: () => number;
  readonly sealer: SecretSealer;
  readonly refuseUrl: UrlRefusal;
  readonly settings: DispatchSettings;
}
