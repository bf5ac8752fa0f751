export type { AppError, ErrorKind, ValidationIssue } from "./app-error.js";
export {
  alreadyExists,
  appError,
  badRequest,
  conflict,
  ERROR_KINDS,
  forbidden,
  internal,
  isRetryable,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  tooManyRequests,
  unauthorized,
  unavailable,
  unsupportedMediaType,
  validationFailed,
} from "./app-error.js";
export type { ErrorBody } from "./http.js";
export { ERROR_TYPES, errorTypeOf, httpStatusOf, toErrorBody } from "./http.js";
export type { Err, Ok, Result } from "./result.js";
export { err, isOk, ok } from "./result.js";
