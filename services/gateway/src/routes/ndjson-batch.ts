import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import { RefusedRequest } from "../http/refused-request.js";

export const NDJSON_TYPE = "application/x-ndjson";

/**
 * A batch body as newline-delimited JSON (issue 14): one document per line, each shaped like an
 * item of the JSON body's `documents`, so a client can stream a corpus out of a file without
 * building one large JSON array. Read into the JSON body's shape, `{documents: [...]}`, which the
 * route's schema then checks as it checks JSON (an item's problems name `body.documents[i]`, the
 * i-th document counted from 0, blank lines not counted). Blank lines (a trailing newline, CRLF
 * endings) are skipped. A line that is not a JSON object is a 400 naming its line: the whole batch
 * is refused.
 */
export function batchBodyOfNdjson(text: string): Result<{ documents: unknown[] }, AppError> {
  const documents: unknown[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch {
      return err(badRequest(`Line ${i + 1} of the NDJSON body is not valid JSON`));
    }
    if (typeof item !== "object" || item === null || Array.isArray(item))
      return err(badRequest(`Line ${i + 1} of the NDJSON body is not a JSON object (one document per line)`));
    documents.push(item);
  }
  return ok({ documents });
}

/** Lets the routes of `scope` take NDJSON batch bodies (the scope's body limit applies). */
export function acceptNdjsonBatches(scope: FastifyInstance): void {
  scope.addContentTypeParser(NDJSON_TYPE, { parseAs: "string" }, (_request, body, done) => {
    const read = batchBodyOfNdjson(String(body));
    if (read.ok) done(null, read.value);
    else done(new RefusedRequest(read.error), undefined);
  });
}
