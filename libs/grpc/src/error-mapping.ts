import * as grpc from "@grpc/grpc-js";
import {
  type AppError,
  appError,
  ERROR_KINDS,
  type ErrorKind,
  err,
  internal,
  ok,
  type Result,
  unavailable,
  validationFailed,
} from "@strata/errors";
import { z } from "zod";

/**
 * AppErrors cross gRPC as a status code (for generic tooling) plus this binary metadata entry with
 * the exact error as JSON, so the other side restores it unchanged. `-bin` keys carry raw bytes.
 */
export const ERROR_METADATA_KEY = "x-strata-error-bin";
/** Set by clientInterceptors on failed calls so fromGrpcError can name the unreachable service. */
export const METHOD_METADATA_KEY = "x-strata-grpc-method";

export function grpcStatusOf(kind: ErrorKind): grpc.status {
  switch (kind) {
    case "bad_request":
    case "validation":
    case "unsupported_media_type":
      return grpc.status.INVALID_ARGUMENT;
    case "method_not_allowed":
      return grpc.status.UNIMPLEMENTED;
    case "unauthorized":
      return grpc.status.UNAUTHENTICATED;
    case "forbidden":
      return grpc.status.PERMISSION_DENIED;
    case "not_found":
      return grpc.status.NOT_FOUND;
    case "already_exists":
      return grpc.status.ALREADY_EXISTS;
    case "conflict":
      // AIP-193: a clash with the resource's current state, which a read-modify-retry may resolve.
      return grpc.status.ABORTED;
    case "payload_too_large":
    case "too_many_requests":
      return grpc.status.RESOURCE_EXHAUSTED;
    case "unavailable":
      return grpc.status.UNAVAILABLE;
    case "internal":
      return grpc.status.INTERNAL;
  }
}

/** The status a handler answers with for an expected failure. */
export function toServiceError(error: AppError): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_METADATA_KEY, Buffer.from(itemErrorJson(error), "utf8"));
  return { code: grpcStatusOf(error.kind), details: error.message, metadata };
}

/**
 * An AppError as JSON: what the error metadata entry carries, and what a batch call's result
 * carries for an item that failed on its own (e.g. CreateBucketResult.error).
 */
export function itemErrorJson(error: AppError): string {
  const wire: WireError = {
    kind: error.kind,
    message: error.message,
    ...(error.details === undefined ? {} : { details: { ...error.details } }),
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
  };
  return JSON.stringify(wire);
}

/** The AppError a batch call's result carries as JSON; anything unreadable is an internal error. */
export function itemErrorOf(json: string): AppError {
  return parseWireError(json) ?? internal();
}

const wireErrorSchema = z.object({
  kind: z.enum(ERROR_KINDS),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
});
type WireError = z.infer<typeof wireErrorSchema>;

/**
 * Turns whatever a gRPC call failed with into an AppError. A service's own AppError comes back
 * exactly; infrastructure failures become "unavailable" (retryable) and anything else "internal",
 * never a 4xx: a wrong internal token or a missing method is our bug, not the API user's.
 */
export function fromGrpcError(error: unknown, serviceName?: string): AppError {
  if (!isServiceError(error)) return internal();
  const restored = restoreAppError(error.metadata);
  if (restored) return restored;

  const target = serviceName ?? serviceOf(error.metadata) ?? "A backing service";
  // Guards the exhaustive switch below against codes outside the enum.
  if (!(error.code in grpc.status)) return internal();
  const code: grpc.status = error.code;
  switch (code) {
    case grpc.status.UNAVAILABLE:
      return unavailable(`${target} is unavailable`);
    case grpc.status.DEADLINE_EXCEEDED:
      return unavailable(`${target} did not answer in time`);
    case grpc.status.CANCELLED:
      // Cancelled by us (shutdown, client gone) or by a proxy in between: trying again may work.
      return unavailable(`The call to ${target} was cancelled`);
    case grpc.status.OK:
    case grpc.status.UNKNOWN:
    case grpc.status.INVALID_ARGUMENT:
    case grpc.status.NOT_FOUND:
    case grpc.status.ALREADY_EXISTS:
    case grpc.status.PERMISSION_DENIED:
    case grpc.status.RESOURCE_EXHAUSTED:
    case grpc.status.FAILED_PRECONDITION:
    case grpc.status.ABORTED:
    case grpc.status.OUT_OF_RANGE:
    case grpc.status.UNIMPLEMENTED:
    case grpc.status.INTERNAL:
    case grpc.status.DATA_LOSS:
    case grpc.status.UNAUTHENTICATED:
      return internal();
  }
}

function restoreAppError(metadata: grpc.Metadata | undefined): AppError | undefined {
  const raw = metadata?.get(ERROR_METADATA_KEY)[0];
  if (raw === undefined) return undefined;
  return parseWireError(typeof raw === "string" ? raw : raw.toString("utf8"));
}

function parseWireError(text: string): AppError | undefined {
  try {
    const parsed = wireErrorSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const { kind, message, details, retryAfterSeconds } = parsed.data;
    return appError(kind, message, details, retryAfterSeconds);
  } catch {
    return undefined;
  }
}

function serviceOf(metadata: grpc.Metadata | undefined): string | undefined {
  const raw = metadata?.get(METHOD_METADATA_KEY)[0];
  if (typeof raw !== "string") return undefined;
  // "/strata.auth.v1.AuthService/VerifyKey" → "strata.auth.v1.AuthService"
  return raw.split("/")[1] || undefined;
}

export function isServiceError(error: unknown): error is grpc.ServiceError {
  return (
    error instanceof Error &&
    typeof (error as Partial<grpc.ServiceError>).code === "number" &&
    (error as Partial<grpc.ServiceError>).metadata instanceof grpc.Metadata
  );
}

/**
 * A batch create call's shape: at most `max` items, each with a namespace_id that stays empty (the
 * request's applies) or repeats the request's; anything else refuses the whole call.
 */
export function checkBatchItems(
  namespaceId: string,
  items: readonly { readonly namespaceId: string }[],
  max: number,
): Result<void, AppError> {
  if (items.length > max) {
    return err(
      validationFailed([
        {
          location: "items",
          type: "too_many_items",
          message: `at most ${max} items in one call, got ${items.length}`,
        },
      ]),
    );
  }
  const issues = items.flatMap((item, index) =>
    item.namespaceId === "" || item.namespaceId === namespaceId
      ? []
      : [
          {
            location: `items[${index}].namespace_id`,
            type: "namespace_mismatch",
            message: "an item's namespace_id must be empty or the request's namespace_id",
          },
        ],
  );
  return issues.length === 0 ? ok(undefined) : err(validationFailed(issues));
}
