import type { components } from "./gen/openapi.js";

export type ErrorBody = components["schemas"]["Error"];
export type ErrorType = ErrorBody["error"]["type"];

/**
 * A Strata API error answer as a thrown value: the HTTP status, the documented `error.type`, the
 * message and details, and the request id to quote when asking what happened.
 */
export class StrataError extends Error {
  override readonly name = "StrataError";
  readonly status: number;
  readonly type: ErrorType | "UnexpectedAnswer";
  readonly details: Record<string, unknown> | null;
  /** The X-Request-Id of the failed request (also in the server's logs). */
  readonly requestId: string | null;
  /** Seconds the server asked to wait (Retry-After), on 429 and 503. */
  readonly retryAfterSeconds: number | null;

  constructor(response: Response, body: unknown) {
    const parsed = isErrorBody(body) ? body : undefined;
    super(parsed?.error.message ?? `HTTP ${response.status} without the error body`);
    this.status = response.status;
    this.type = parsed?.error.type ?? "UnexpectedAnswer";
    this.details = parsed?.error.details ?? null;
    this.requestId = parsed?.request_id ?? response.headers.get("x-request-id");
    const retryAfter = Number(response.headers.get("retry-after"));
    this.retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  const candidate = body as Partial<ErrorBody> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    candidate.success === false &&
    typeof candidate.error?.type === "string" &&
    typeof candidate.request_id === "string"
  );
}

/** What every openapi-fetch call resolves to. */
export interface Answer<Data> {
  readonly data?: Data;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of a successful call, or a StrataError. `await unwrap(api.GET("/v1/whoami"))` is the
 * typed result of GET /v1/whoami.
 */
export async function unwrap<Data>(pending: Promise<Answer<Data>>): Promise<Data> {
  const answer = await pending;
  if (!answer.response.ok) throw new StrataError(answer.response, answer.error);
  return answer.data as Data;
}
