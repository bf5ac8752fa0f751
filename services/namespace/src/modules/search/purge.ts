import { ok } from "@strata/errors";
import type { PurgeStep } from "../../shared/purge-step.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";

/**
 * Drops a deleted namespace's vector spaces, files and all (issue 8). It runs after every module's
 * own step, once the collections purge has removed the documents and their vectors collection by
 * collection: what it removes then is the spaces themselves and anything a crash left in them.
 */
export function purgeVectorSpaces(vectors: Pick<DocumentVectors, "dropNamespace">): PurgeStep {
  return async (namespaceId) => {
    const dropped = await vectors.dropNamespace(namespaceId);
    return dropped.ok ? ok({}) : dropped;
  };
}
