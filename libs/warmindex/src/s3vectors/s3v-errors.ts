import type { AppError } from "@strata/errors";
import { appError, unavailable } from "@strata/errors";

export function isNotFound(e: unknown): boolean {
  return (e as { name?: unknown })?.name === "NotFoundException";
}

export function isConflict(e: unknown): boolean {
  return (e as { name?: unknown })?.name === "ConflictException";
}

/**
 * An S3 Vectors failure as an AppError. A ValidationException is the request's fault (a filter the
 * service refuses, a limit the adapter does not know yet) and says so; every other failure is the
 * infrastructure's and reads as unavailable (never a 4xx, never the SDK's stack or request ids).
 */
export function s3VectorsError(e: unknown): AppError {
  const name = (e as { name?: unknown })?.name;
  if (name === "ValidationException") {
    const message = String((e as { message?: unknown }).message ?? "invalid request");
    return appError("validation", `S3 Vectors refused the request: ${message}`, { backend: "s3vectors" });
  }
  return unavailable("Warm index (S3 Vectors) is unavailable");
}
