import { type IdKind, idFromSeed } from "./prefixes.js";

/** The namespace a clone writes into; only its id seeds the clone's ids. */
export interface CloneIdTarget {
  readonly namespaceId: string;
}

/**
 * The clone's id of a source record (ADR 0024): derived from both, so a clone attempted again
 * writes the same ids, two clones of one source never share one, and every service that copies its
 * part of a clone finds the clone's copy of a record another service made (a retriever's collection)
 * without asking.
 */
// Generic, so a caller may pass its own wider target record (the namespace service's has the
// organization too) without restating it.
export function cloneIdOf<T extends CloneIdTarget>(kind: IdKind, target: T, sourceId: string): string {
  return idFromSeed(kind, `clone|${target.namespaceId}|${sourceId}`);
}
