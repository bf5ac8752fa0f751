// Describes each answer of the OpenAPI document: what the status means and which headers come
// with it, following what the gateway's hooks really send (errors.ts, rate-limit.ts,
// idempotent-answer.ts, object-transfer.ts).
import { ERROR_KINDS, errorTypeOf, httpStatusOf } from "@strata/errors";
import { type Json, objectAt, operationsOf } from "./openapi-names.js";

/** The error.type values each status carries ("404" → ["NotFoundError"]; 409 has two, ADR 0036). */
const TYPES_OF_STATUS = new Map<string, string[]>();
for (const kind of ERROR_KINDS) {
  const status = String(httpStatusOf(kind));
  TYPES_OF_STATUS.set(status, [...(TYPES_OF_STATUS.get(status) ?? []), errorTypeOf(kind)]);
}

const ERROR_MEANING: Record<string, string> = {
  "400": "Bad request: malformed JSON, a missing X-Namespace header, or a checksum that does not match",
  "401": "No API key, or one that is unknown, revoked or expired (with WWW-Authenticate: Bearer)",
  "403": "The API key lacks the permission this operation needs, or may not use this namespace",
  "404": "The resource, or the X-Namespace namespace, does not exist or is not visible to this key",
  "409":
    "AlreadyExistsError: the name is taken. ConflictError: the request clashes with the resource's current state (a request with the same Idempotency-Key is still running, a stale plan hash, a namespace still being cloned, a document changed while it moved)",
  "413": "The request body is larger than this operation's limit",
  "415": "The Content-Type is not one this operation accepts (application/json)",
  "422": "The request failed validation; error.details.validation_errors says where and why",
  "429": "Too many requests for this key (or failed authentications from this address); see Retry-After",
  "500": "Internal error: a bug, logged with the request id",
  "503": "A backing service is unavailable or did not answer in time, or the gateway is stopping",
};

const SUCCESS_MEANING: Record<string, string> = {
  "200": "OK",
  "201": "Created",
  "202": "Accepted: the work goes on after the answer",
};

const string = { type: "string" };
const integer = { type: "integer", minimum: 0 };

/** The response headers, as components.headers. */
export const RESPONSE_HEADERS: Record<string, Json> = {
  XRequestId: { description: "This request's id, also in the error body's request_id", schema: string },
  RetryAfter: { description: "Seconds to wait before trying again", schema: integer },
  XRateLimitLimit: { description: "Requests this key may make per window", schema: integer },
  XRateLimitRemaining: { description: "Requests left in the current window", schema: integer },
  XRateLimitReset: { description: "Seconds until the window resets", schema: integer },
  IdempotentReplayed: {
    description:
      "Present (true) when this is the stored answer to an earlier request with the same Idempotency-Key",
    schema: { type: "string", enum: ["true"] },
  },
  ETag: { description: "The object's entity tag (quoted)", schema: string },
  XChecksumSha256: { description: "Hex SHA-256 of the object's bytes", schema: string },
  LastModified: { description: "When the object was stored (HTTP date)", schema: string },
  ContentLength: { description: "The object's size in bytes", schema: integer },
};

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const isErrorBody = (response: Json) =>
  JSON.stringify(response.content) ===
  JSON.stringify({ "application/json": { schema: { $ref: "#/components/schemas/Error" } } });

export function describeResponses(doc: Json): void {
  const components = objectAt(doc, "components");
  components.headers = { ...((components.headers as Json | undefined) ?? {}), ...RESPONSE_HEADERS };
  for (const { operation } of operationsOf(doc)) {
    const secured = (operation.security ?? (doc.security as unknown[] | undefined) ?? []).length > 0;
    const idempotent = (operation.parameters ?? []).some(
      (p) => p.in === "header" && p.name === "idempotency-key",
    );
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (response.description === undefined || response.description === "Default Response") {
        response.description = ERROR_MEANING[status] ?? SUCCESS_MEANING[status] ?? "Answer";
      }
      const headers: Record<string, unknown> = { "X-Request-Id": header("XRequestId") };
      if (secured && status !== "401") {
        headers["X-RateLimit-Limit"] = header("XRateLimitLimit");
        headers["X-RateLimit-Remaining"] = header("XRateLimitRemaining");
        headers["X-RateLimit-Reset"] = header("XRateLimitReset");
      }
      if (status === "429" || status === "503") headers["Retry-After"] = header("RetryAfter");
      if (idempotent && status.startsWith("2")) headers["Idempotent-Replayed"] = header("IdempotentReplayed");
      response.headers = { ...headers, ...((response.headers as Json | undefined) ?? {}) };
    }
    shareErrorAnswers(components, operation.responses ?? {}, secured);
  }
}

/**
 * The error answers are the same everywhere: one components.responses entry per status, whose body
 * is the Error schema with error.type narrowed to that status's names (a client can switch on it).
 */
function shareErrorAnswers(components: Json, responses: Record<string, Json>, secured: boolean): void {
  const shared = objectAt(components, "responses") as Record<string, Json>;
  const schemas = objectAt(components, "schemas");
  for (const [status, response] of Object.entries(responses)) {
    if (!status.startsWith("4") && !status.startsWith("5")) continue;
    const types = TYPES_OF_STATUS.get(status);
    if (!secured || !isErrorBody(response) || types === undefined) continue;
    const [only] = types;
    const name = `Error${status}`;
    schemas[name] ??= {
      allOf: [
        { $ref: "#/components/schemas/Error" },
        {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["type"],
              properties: { type: types.length === 1 ? { const: only } : { enum: types } },
            },
          },
        },
      ],
      description: `The error body of a ${status}: error.type is ${types.length === 1 ? `always ${only}` : `one of ${types.join(", ")}`}`,
    };
    shared[name] ??= {
      ...response,
      content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } },
    };
    responses[status] = { $ref: `#/components/responses/${name}` };
  }
}
