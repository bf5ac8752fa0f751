// Test support: assertions on the DESIGN §5 error body.
import { expect } from "vitest";
import type { HttpAnswer } from "../test-support/harness.js";

const TYPES: Record<number, string> = {
  400: "BadRequestError",
  401: "UnauthorizedError",
  403: "ForbiddenError",
  404: "NotFoundError",
  405: "MethodNotAllowedError",
  409: "AlreadyExistsError",
  413: "PayloadTooLargeError",
  415: "UnsupportedMediaTypeError",
  422: "ValidationError",
  429: "TooManyRequestsError",
  500: "InternalError",
  503: "ServiceUnavailableError",
};

/**
 * The answer is an error of this status with the common body and a matching X-Request-Id. A 409 is
 * AlreadyExistsError unless the test names ConflictError (ADR 0036).
 */
export function expectError(
  answer: HttpAnswer,
  status: number,
  type: string | undefined = TYPES[status],
): { message: string; details: Record<string, unknown> | null } {
  expect(answer.status, answer.text).toBe(status);
  const requestId = answer.headers.get("x-request-id");
  expect(requestId).toMatch(/^req_[1-9A-HJ-NP-Za-km-z]+$/);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  const body = answer.json as {
    success: unknown;
    status: unknown;
    error: { type: unknown; message: unknown; details: unknown };
    request_id: unknown;
  };
  expect(Object.keys(body).sort()).toEqual(["error", "request_id", "status", "success"]);
  expect(body).toMatchObject({ success: false, status, request_id: requestId });
  expect(Object.keys(body.error).sort()).toEqual(["details", "message", "type"]);
  expect(body.error.type).toBe(type);
  expect(typeof body.error.message).toBe("string");
  expect(typeof body.error.details).toBe("object"); // an object or null
  // RFC 9110 §11.6.1: every 401 names the scheme to authenticate with.
  if (status === 401) expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  // Never a stack trace or an internal message.
  expect(answer.text).not.toMatch(/\bat .+\.(ts|js):\d+|FST_|Error: |node_modules/);
  return {
    message: String(body.error.message),
    details: body.error.details as Record<string, unknown> | null,
  };
}

export function validationLocations(details: Record<string, unknown> | null): string[] {
  const issues = (details?.validation_errors ?? []) as Array<{
    location: string;
    message: string;
    type: string;
  }>;
  for (const issue of issues) {
    expect(issue).toEqual({
      location: expect.any(String),
      message: expect.any(String),
      type: expect.any(String),
    });
  }
  return issues.map((i) => i.location);
}
