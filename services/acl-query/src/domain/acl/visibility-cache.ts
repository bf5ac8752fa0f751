import type { BoundFilterNode } from "@strata/filter";

/** Compiled filters kept per namespace; past this many a namespace's entries start over. */
const ENTRIES_PER_NAMESPACE_BEFORE_RESET = 8_192;

/**
 * Compiled visibility filters, by namespace and caller (principal id, roles, attributes: what the
 * filter is bound to). A rule event drops its namespace's entries, a principal event that
 * principal's entries everywhere. A compile that started before an invalidation may have read the
 * old rules, so it is not stored (per-namespace epochs, as the gateway's key cache does).
 */
export class VisibilityCache {
  readonly #entries = new Map<string, Map<string, BoundFilterNode>>();
  readonly #epochs = new Map<string, number>();
  #globalEpoch = 0;

  /** A token to hand back to `set`: the store is skipped when an invalidation came in between. */
  epoch(namespaceId: string): string {
    return `${this.#globalEpoch}/${this.#epochs.get(namespaceId) ?? 0}`;
  }

  get(namespaceId: string, callerKey: string): BoundFilterNode | undefined {
    return this.#entries.get(namespaceId)?.get(callerKey);
  }

  set(namespaceId: string, callerKey: string, filter: BoundFilterNode, epoch: string): void {
    if (epoch !== this.epoch(namespaceId)) return;
    let entries = this.#entries.get(namespaceId);
    if (entries === undefined || entries.size >= ENTRIES_PER_NAMESPACE_BEFORE_RESET) {
      entries = new Map();
      this.#entries.set(namespaceId, entries);
    }
    entries.set(callerKey, filter);
  }

  invalidateNamespace(namespaceId: string): void {
    this.#epochs.set(namespaceId, (this.#epochs.get(namespaceId) ?? 0) + 1);
    this.#entries.delete(namespaceId);
  }

  invalidatePrincipal(organizationId: string, principalId: string): void {
    this.#globalEpoch += 1;
    const prefix = callerKeyPrefix(organizationId, principalId);
    for (const entries of this.#entries.values()) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    }
  }

  clear(): void {
    this.#globalEpoch += 1;
    this.#entries.clear();
  }
}

function callerKeyPrefix(organizationId: string, principalId: string): string {
  return `${JSON.stringify([organizationId, principalId]).slice(0, -1)},`;
}

/** What a compiled filter depends on besides the rules: the principal as the caller carries it. */
export function callerKey(caller: {
  readonly organizationId: string;
  readonly principalId?: string;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
}): string {
  return `${callerKeyPrefix(caller.organizationId, caller.principalId ?? "")}${JSON.stringify([
    [...caller.roles].sort(),
    caller.attributes,
  ])}`;
}
