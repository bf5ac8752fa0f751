import type { Caller } from "@strata/access";
import {
  type BoundFilterNode,
  compileWriteAccess,
  evaluate,
  MATCH_NOTHING,
  readBoundFilter,
} from "@strata/filter";

/**
 * The compiled visibility filter of the caller in a namespace (ADR 0018), or undefined when ACLs
 * do not apply (an org key acting for nobody). A principal caller whose filter is missing, is for
 * another namespace or does not read as a filter sees nothing: this never fails open.
 */
export function visibilityFilter(caller: Caller, namespaceId: string): BoundFilterNode | undefined {
  if (caller.principalId === undefined) return undefined;
  const visibility = caller.visibility;
  if (visibility === undefined || visibility.namespaceId !== namespaceId) return MATCH_NOTHING;
  return readBoundFilter(visibility.filter) ?? MATCH_NOTHING;
}

/** Whether the caller sees this document: the same filter the store and index queries run. */
export function canSee(caller: Caller, namespaceId: string, document: object): boolean {
  const filter = visibilityFilter(caller, namespaceId);
  return filter === undefined || evaluate(filter, document);
}

/** Whether the caller may change a document it sees (owner or `_acl.write`); org keys always may. */
export function canWrite(caller: Caller, document: object): boolean {
  return caller.principalId === undefined || evaluate(compileWriteAccess(caller), document);
}

/** Only the owner (or an org key) changes a document's ACL. */
export function canChangeAcl(
  caller: Caller,
  document: { readonly _acl: { readonly owner: string | null } },
): boolean {
  return caller.principalId === undefined || document._acl.owner === caller.principalId;
}
