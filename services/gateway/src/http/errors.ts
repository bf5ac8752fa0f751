import type { Duplex } from "node:stream";
import {
  type AppError,
  appError,
  badRequest,
  httpStatusOf,
  internal,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  toErrorBody,
  unsupportedMediaType,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { newId } from "@strata/ids";
import type { Logger } from "@strata/logger";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { trackAllowedMethods } from "./allowed-methods.js";
import { discardRefusedBody } from "./refused-body.js";
import { RefusedRequest } from "./refused-request.js";

/**
 * The one place where an AppError becomes an HTTP answer: status, DESIGN §5 body, request id and
 * Retry-After. Route handlers, hooks, the error handler and the not-found handler all go through it.
 */
export function sendAppError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  reply.header("x-request-id", request.id);
  // RFC 9110 §11.6.1: a 401 names the scheme the client should authenticate with.
  if (error.kind === "unauthorized") reply.header("www-authenticate", 'Bearer realm="strata"');
  const allowed = error.kind === "method_not_allowed" ? error.details?.allowed : undefined;
  if (Array.isArray(allowed)) reply.header("allow", allowed.join(", "));
  if (error.retryAfterSeconds !== undefined) {
    reply.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  }
  return reply
    .code(httpStatusOf(error.kind))
    .type("application/json; charset=utf-8")
    .send(toErrorBody(error, request.id));
}

/**
 * Installs the error hook and the not-found handler. Everything fastify itself rejects (body
 * parsing, schema validation, limits) is mapped to a client error here; anything else is a bug in
 * the gateway and answers a bare 500 whose cause is logged, never shown.
 */
export function installErrorHandling(
  app: FastifyInstance,
  options: { logger: Logger; bodyLimitBytes: number },
): void {
  const allowedMethods = trackAllowedMethods(app);
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // A route may have its own body limit (the batch route); the message names the one that applied.
    const limit = request.routeOptions.bodyLimit ?? options.bodyLimitBytes;
    const mapped = appErrorOf(error, limit, request.headers["content-type"]);
    if (mapped?.kind === "payload_too_large") {
      // The client may still be sending: let it finish (up to a bound) so it can read the 413.
      await discardRefusedBody(request.raw, limit);
      reply.header("connection", "close");
    }
    if (mapped === undefined) {
      options.logger.error(
        { err: error, request_id: request.id, route: request.routeOptions.url },
        "unhandled error",
      );
      return sendAppError(request, reply, internal());
    }
    return sendAppError(request, reply, mapped);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const allowed = allowedMethods(path);
    return sendAppError(
      request,
      reply,
      allowed.length > 0
        ? methodNotAllowed(request.method, allowed)
        : notFound("route", `${request.method} ${path}`),
    );
  });
}

/** The client error behind an error fastify raised, or undefined when it is our own failure. */
export function appErrorOf(
  error: FastifyError,
  bodyLimitBytes: number,
  contentType?: string,
): AppError | undefined {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? "body";
    return validationFailed(error.validation.flatMap((issue) => issuesOf(where, issue)));
  }
  if (isResponseSerializationError(error)) return undefined;
  if (error instanceof RefusedRequest) return error.appError;
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return payloadTooLarge(bodyLimitBytes);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return unsupportedMediaType(contentType ?? "", ["application/json"]);
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return badRequest("The request body is not valid JSON");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return badRequest("Content-Length does not match the body");
    case "FST_ERR_MAX_PARAM_LENGTH":
      // An id far longer than any real one names nothing.
      return appError("not_found", "Resource not found", { reason: "path parameter too long" });
    default:
      break;
  }
  const status = error.statusCode;
  if (status === 413) return payloadTooLarge(bodyLimitBytes);
  // Any other request fastify refused (a malformed URL, an aborted body …): the client's fault, but
  // its message is fastify's internals, so say only that the request was bad.
  if (status !== undefined && status >= 400 && status < 500) return badRequest("The request is malformed");
  return undefined;
}

interface SchemaIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}

function issuesOf(where: string, issue: SchemaIssue): ValidationIssue[] {
  const location = `${where}${pathOf(issue.instancePath)}`;
  if (issue.keyword === "unrecognized_keys" && Array.isArray(issue.params.keys)) {
    return issue.params.keys.map((key) => ({
      location: `${location}.${String(key)}`,
      message: `Unknown field "${String(key)}"`,
      type: "unknown_field",
    }));
  }
  const message = issue.message ?? "Invalid value";
  // zod reports an absent field as a type mismatch against undefined; say what it is.
  if (issue.keyword === "invalid_type" && message.endsWith("received undefined")) {
    return [{ location, message: "Required", type: "missing" }];
  }
  return [{ location, message, type: issue.keyword }];
}

/** "/permissions/0" → ".permissions[0]" */
function pathOf(instancePath: string): string {
  return instancePath
    .split("/")
    .filter((segment) => segment.length > 0)
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join("");
}

/**
 * Node rejects some requests before fastify sees them (bad header bytes, oversized headers). Those
 * get the common error body too, written straight to the socket, and the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const requestId = newId("request");
  const body = JSON.stringify(
    toErrorBody(
      badRequest(tooLarge ? "Request headers are too large" : "The request is malformed"),
      requestId,
    ),
  );
  socket.end(
    [
      "HTTP/1.1 400 Bad Request",
      "Content-Type: application/json; charset=utf-8",
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
  );
}
