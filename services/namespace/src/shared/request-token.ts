import type { ValidationIssue } from "@strata/errors";

/**
 * A request token: opaque, per caller and request, derived by the gateway from the Idempotency-Key
 * entry (ADR 0016). A resource created under one takes its id from it (`idFromSeed`) and keeps it,
 * so that a retry after a crash finds what the first attempt created instead of creating another.
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

export function checkRequestToken(token: string | undefined, issues: ValidationIssue[]): void {
  if (token === undefined || TOKEN_SHAPE.test(token)) return;
  issues.push({
    location: "request_token",
    message: "request_token is 16 to 128 characters: letters, digits, '_' and '-'",
    type: "invalid_format",
  });
}

/** Whether `record` is what an earlier request with `token` created (not just a record at that id). */
export function createdBy(record: { readonly request_token?: string }, token: string | undefined): boolean {
  return token !== undefined && record.request_token === token;
}
