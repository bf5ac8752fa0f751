import type { Caller } from "@strata/access";
import { MAX_QUERY_TEXT_LENGTH } from "@strata/contracts";
import { type AppError, err, notFound, ok, type Result, validationFailed } from "@strata/errors";
import { extractorFor } from "@strata/extractors";
import type { NamespaceData } from "./namespace-data.js";
import type { RetrieverRecord } from "./tables.js";

/** What to search near (execute) or score against (alerts): exactly one of three. */
export type QueryInput =
  | { readonly kind: "vector"; readonly values: readonly number[] }
  | { readonly kind: "text"; readonly text: string }
  | {
      readonly kind: "document";
      readonly documentId: string;
      /** Undefined: the retriever's collections are tried in order. */
      readonly collectionIdentifier: string | undefined;
    };

export interface ResolvedQuery {
  readonly vector: readonly number[];
  /** Set for a document query: the document it came from, which a search leaves out. */
  readonly source?: { readonly documentId: string; readonly collectionId: string };
}

/** Turns a query into a vector in the retriever's feature space. */
export async function resolveQueryVector(
  data: NamespaceData,
  caller: Caller,
  namespaceId: string,
  retriever: Pick<RetrieverRecord, "feature_uri" | "dimensions" | "collection_ids">,
  query: QueryInput,
  location = "body.query",
): Promise<Result<ResolvedQuery, AppError>> {
  switch (query.kind) {
    case "vector":
      return checkVector(query.values, retriever.dimensions, `${location}.vector`);
    case "text":
      return embedText(query.text, retriever.feature_uri, `${location}.text`);
    case "document":
      return documentVector(data, caller, namespaceId, retriever, query, location);
  }
}

function invalid(location: string, message: string, type: string): Result<never, AppError> {
  return err(validationFailed([{ location, message, type }], message));
}

function checkVector(
  values: readonly number[],
  dimensions: number,
  location: string,
): Result<ResolvedQuery, AppError> {
  if (values.length !== dimensions) {
    return invalid(
      location,
      `the vector must hold ${dimensions} numbers, not ${values.length}`,
      "dimensions",
    );
  }
  if (!values.every(Number.isFinite)) return invalid(location, "the vector must hold finite numbers", "type");
  return ok({ vector: [...values] });
}

function embedText(text: string, featureUri: string, location: string): Result<ResolvedQuery, AppError> {
  const extractor = extractorFor(featureUri);
  if (extractor === undefined) {
    return invalid(
      location,
      `the feature ${featureUri} has no built-in text extractor; query with a vector or a document_id`,
      "no_text_extractor",
    );
  }
  if (text.trim().length === 0) return invalid(location, "text must not be empty", "missing");
  if (text.length > MAX_QUERY_TEXT_LENGTH)
    return invalid(location, `text must be at most ${MAX_QUERY_TEXT_LENGTH} characters`, "string_too_long");
  const embedded = extractor.extract(text);
  return embedded.ok ? ok({ vector: Array.from(embedded.value) }) : embedded;
}

async function documentVector(
  data: NamespaceData,
  caller: Caller,
  namespaceId: string,
  retriever: Pick<RetrieverRecord, "feature_uri" | "dimensions" | "collection_ids">,
  query: { readonly documentId: string; readonly collectionIdentifier: string | undefined },
  location: string,
): Promise<Result<ResolvedQuery, AppError>> {
  const candidates =
    query.collectionIdentifier === undefined ? retriever.collection_ids : [query.collectionIdentifier];
  let lastError: AppError | undefined;
  for (const collection of candidates) {
    const found = await data.getDocument(caller, namespaceId, collection, query.documentId);
    if (!found.ok) {
      // Not in this collection: try the next; anything else (unavailable …) ends the search.
      if (found.error.kind !== "not_found") return found;
      lastError = found.error;
      continue;
    }
    const vector = found.value.features[retriever.feature_uri];
    if (vector === undefined) {
      return invalid(
        `${location}.document_id`,
        `document ${query.documentId} holds no vector for ${retriever.feature_uri}`,
        "feature_missing",
      );
    }
    const checked = checkVector(vector, retriever.dimensions, `${location}.document_id`);
    if (!checked.ok) return checked;
    return ok({
      vector: checked.value.vector,
      source: { documentId: found.value.documentId, collectionId: found.value.collectionId },
    });
  }
  // Tried in every collection of the retriever: one answer for all, naming the document.
  return err(
    query.collectionIdentifier !== undefined && lastError !== undefined
      ? lastError
      : notFound("document", query.documentId),
  );
}
