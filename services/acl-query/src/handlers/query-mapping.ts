import { type AppError, err, ok, type Result, validationFailed } from "@strata/errors";
import type { retrieverV1 } from "@strata/proto";
import type { QueryInput } from "../domain/query-vector.js";
import type { AlertQueryRecord } from "../domain/tables.js";

/** The proto's one-of as a domain query; none or several set is a validation error. */
export function queryFromProto(query: retrieverV1.RetrieverQuery | undefined): Result<QueryInput, AppError> {
  const given: QueryInput[] = [];
  if (query?.vector !== undefined) given.push({ kind: "vector", values: query.vector.values });
  if (query?.text !== undefined) given.push({ kind: "text", text: query.text });
  if (query?.document !== undefined) {
    const collection = query.document.collectionIdentifier;
    given.push({
      kind: "document",
      documentId: query.document.documentId,
      collectionIdentifier: collection === "" ? undefined : collection,
    });
  }
  const [only, ...more] = given;
  if (only === undefined || more.length > 0) {
    const message = "query needs exactly one of vector, text or document_id";
    return err(validationFailed([{ location: "body.query", message, type: "one_of" }], message));
  }
  if (only.kind === "document" && only.documentId.length === 0) {
    const message = "query.document_id must not be empty";
    return err(validationFailed([{ location: "body.query.document_id", message, type: "missing" }], message));
  }
  return ok(only);
}

/** An alert's stored query as the proto shows it (a vector query shows its vector). */
export function alertQueryToProto(
  query: AlertQueryRecord,
  vector: readonly number[],
): retrieverV1.RetrieverQuery {
  switch (query.kind) {
    case "vector":
      return { vector: { values: [...vector] } };
    case "text":
      return { text: query.text };
    case "document":
      return { document: { documentId: query.document_id, collectionIdentifier: query.collection_id } };
  }
}
