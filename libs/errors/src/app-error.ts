/**
 * The platform's error vocabulary. Domain code returns these as values; the gRPC handlers and the
 * gateway's error hook are the only places that turn them into wire statuses.
 */
export const ERROR_KINDS = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "already_exists",
  "conflict",
  "validation",
  "payload_too_large",
  "unsupported_media_type",
  "method_not_allowed",
  "too_many_requests",
  "unavailable",
  "internal",
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ValidationIssue {
  /** Where the problem is, e.g. "body.permissions[0]". */
  readonly location: string;
  readonly message: string;
  readonly type: string;
}

export interface AppError {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /** Seconds after which a retry may succeed (rate limits, overload). */
  readonly retryAfterSeconds?: number;
}

export function appError(
  kind: ErrorKind,
  message: string,
  details?: Record<string, unknown>,
  retryAfterSeconds?: number,
): AppError {
  return {
    kind,
    message,
    ...(details === undefined ? {} : { details }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
}

export const badRequest = (message: string, details?: Record<string, unknown>): AppError =>
  appError("bad_request", message, details);
export const unauthorized = (message = "Missing or invalid API key"): AppError =>
  appError("unauthorized", message);
export const forbidden = (message: string, details?: Record<string, unknown>): AppError =>
  appError("forbidden", message, details);
export const notFound = (resource: string, id: string): AppError =>
  appError("not_found", `${capitalize(resource)} not found`, { resource, id });
export const alreadyExists = (resource: string, details: Record<string, unknown>): AppError =>
  appError("already_exists", `${capitalize(resource)} already exists`, { resource, ...details });
/**
 * The request clashes with the resource's current state, not with its name: a stale plan, a change
 * made while the work ran, a namespace still being cloned, a retry of a request still in progress.
 * Trying again after the state settles (or after re-reading it) may succeed; a taken name never does.
 */
export const conflict = (message: string, details?: Record<string, unknown>): AppError =>
  appError("conflict", message, details);
export const validationFailed = (
  issues: readonly ValidationIssue[],
  message = "Request is invalid",
): AppError => appError("validation", message, { validation_errors: issues });
export const payloadTooLarge = (limitBytes: number): AppError =>
  appError("payload_too_large", `Request body exceeds ${limitBytes} bytes`, { limit_bytes: limitBytes });
export const tooManyRequests = (retryAfterSeconds: number): AppError =>
  appError(
    "too_many_requests",
    "Rate limit exceeded",
    { retry_after_seconds: retryAfterSeconds },
    retryAfterSeconds,
  );
export const unsupportedMediaType = (sent: string, accepted: readonly string[]): AppError =>
  appError("unsupported_media_type", `Unsupported Content-Type: send ${accepted.join(" or ")}`, {
    content_type: sent,
    accepted: [...accepted],
  });
export const methodNotAllowed = (method: string, allowed: readonly string[]): AppError =>
  appError("method_not_allowed", `${method} is not allowed here; use ${allowed.join(", ")}`, {
    method,
    allowed: [...allowed],
  });
export const unavailable = (message: string): AppError => appError("unavailable", message);
export const internal = (message = "Internal error"): AppError => appError("internal", message);

/** Whether trying the same thing again later can succeed. Consumers nak these and term the rest. */
export function isRetryable(kind: ErrorKind): boolean {
  switch (kind) {
    case "unavailable":
    case "too_many_requests":
    case "internal":
    // The state it clashed with settles (a clone finishes, a concurrent change commits).
    case "conflict":
      return true;
    case "bad_request":
    case "unauthorized":
    case "forbidden":
    case "not_found":
    case "already_exists":
    case "validation":
    case "payload_too_large":
    case "unsupported_media_type":
    case "method_not_allowed":
      return false;
  }
}

function capitalize(word: string): string {
  return word.length === 0 ? word : `${word[0]?.toUpperCase()}${word.slice(1)}`;
}
