import { cloneIdOf } from "@strata/ids";
import type { AclRuleRecord, AlertQueryRecord, AlertRecord, RetrieverRecord } from "../tables.js";

/** A namespace.cloned event as acl-query reads it: whose resources go where. */
export interface NamespaceClone {
  readonly organizationId: string;
  readonly sourceNamespaceId: string;
  /** The clone. */
  readonly namespaceId: string;
}

// The clone's copy of each record: its id and every id it names derived with `cloneIdOf`, so the
// copy names the clone's collections (copied by the namespace service with the same function) and
// the clone's retrievers. Document ids are the same in a clone; only their collection changes.

const collectionsOf = (clone: NamespaceClone, ids: readonly string[]) =>
  ids.map((id) => cloneIdOf("collection", clone, id));

export function retrieverCopy(clone: NamespaceClone, source: RetrieverRecord): RetrieverRecord {
  return {
    ...source,
    id: cloneIdOf("retriever", clone, source.id),
    organization_id: clone.organizationId,
    namespace_id: clone.namespaceId,
    collection_ids: collectionsOf(clone, source.collection_ids),
  };
}

export function alertCopy(clone: NamespaceClone, source: AlertRecord): AlertRecord {
  return {
    ...source,
    id: cloneIdOf("alert", clone, source.id),
    organization_id: clone.organizationId,
    namespace_id: clone.namespaceId,
    retriever_id: cloneIdOf("retriever", clone, source.retriever_id),
    query: queryCopy(clone, source.query),
  };
}

function queryCopy(clone: NamespaceClone, query: AlertQueryRecord): AlertQueryRecord {
  return query.kind === "document"
    ? { ...query, collection_id: cloneIdOf("collection", clone, query.collection_id) }
    : query;
}

export function ruleCopy(clone: NamespaceClone, source: AclRuleRecord): AclRuleRecord {
  return {
    ...source,
    id: cloneIdOf("rule", clone, source.id),
    organization_id: clone.organizationId,
    namespace_id: clone.namespaceId,
    collection_ids: collectionsOf(clone, source.collection_ids),
  };
}
