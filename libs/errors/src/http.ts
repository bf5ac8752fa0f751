import { type AppError, ERROR_KINDS, type ErrorKind } from "./app-error.js";

/** The REST error body of DESIGN §5. */
export interface ErrorBody {
  success: false;
  status: number;
  error: { type: string; message: string; details: Record<string, unknown> | null };
  request_id: string;
}

export function httpStatusOf(kind: ErrorKind): number {
  switch (kind) {
    case "bad_request":
      return 400;
    case "unauthorized":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
      return 404;
    case "already_exists":
    case "conflict":
      return 409;
    case "payload_too_large":
      return 413;
    case "unsupported_media_type":
      return 415;
    case "method_not_allowed":
      return 405;
    case "validation":
      return 422;
    case "too_many_requests":
      return 429;
    case "unavailable":
      return 503;
    case "internal":
      return 500;
  }
}

export function errorTypeOf(kind: ErrorKind): string {
  switch (kind) {
    case "bad_request":
      return "BadRequestError";
    case "unauthorized":
      return "UnauthorizedError";
    case "forbidden":
      return "ForbiddenError";
    case "not_found":
      return "NotFoundError";
    case "already_exists":
      return "AlreadyExistsError";
    case "conflict":
      return "ConflictError";
    case "payload_too_large":
      return "PayloadTooLargeError";
    case "unsupported_media_type":
      return "UnsupportedMediaTypeError";
    case "method_not_allowed":
      return "MethodNotAllowedError";
    case "validation":
      return "ValidationError";
    case "too_many_requests":
      return "TooManyRequestsError";
    case "unavailable":
      return "ServiceUnavailableError";
    case "internal":
      return "InternalError";
  }
}

export function toErrorBody(error: AppError, requestId: string): ErrorBody {
  return {
    success: false,
    status: httpStatusOf(error.kind),
    error: {
      type: errorTypeOf(error.kind),
      message: error.message,
      details: error.details ? { ...error.details } : null,
    },
    request_id: requestId,
  };
}

/** Every value of the error body's `type`, in ERROR_KINDS order. */
export const ERROR_TYPES = ERROR_KINDS.map(errorTypeOf) as [string, ...string[]];
