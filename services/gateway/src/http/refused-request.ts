import type { AppError } from "@strata/errors";

/**
 * An error a body parser raises when it already knows the exact client error (a content-type
 * parser can only fail with an Error): the error handler answers `appError` as it is, instead of
 * fastify's generic "malformed request".
 */
export class RefusedRequest extends Error {
  readonly statusCode = 400;
  constructor(readonly appError: AppError) {
    super(appError.message);
  }
}
