import {
  type CloneCleanUp,
  type CloneStep,
  cloneNamespaceRecords,
  deleteClonedRecords,
} from "../../shared/clone-step.js";
import type { CollectionPorts } from "./ports.js";
import { COLLECTIONS_TABLE } from "./tables.js";

/** The source's collections (not those being deleted), under the clone's ids (ADR 0024). */
export function cloneCollections(): CloneStep {
  return cloneNamespaceRecords(COLLECTIONS_TABLE, "collection", "collections", { state: "active" });
}

/** A failed clone's collection records (its documents' are the documents module's). */
export function cleanUpClonedCollections(ports: Pick<CollectionPorts, "store">): CloneCleanUp {
  return deleteClonedRecords(ports.store, [COLLECTIONS_TABLE]);
}
