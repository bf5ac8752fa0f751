import type { Context } from "@opentelemetry/api";
import { type Caller, canReachNamespace } from "@strata/access";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import type { namespaceV1 } from "@strata/proto";
import { BoundedTtlCache } from "../auth/bounded-ttl-cache.js";

export type Namespace = namespaceV1.Namespace;

/** Looks a namespace up by id or name for a caller; `null` when the service says it does not exist. */
export type FetchNamespace = (
  caller: Caller,
  identifier: string,
  trace: Context | undefined,
) => Promise<Result<Namespace | null, AppError>>;

export interface NamespaceResolverOptions {
  readonly fetch: FetchNamespace;
  readonly ttlMs: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Resolves `X-Namespace` values (and `{id}` path segments) to namespaces, cached per
 * (organization, identifier) and dropped on `namespace.updated`/`namespace.deleted`. A namespace
 * of another organization, one outside the key's scope and a missing one all give the same 404.
 */
export class NamespaceResolver {
  readonly #options: NamespaceResolverOptions;
  readonly #cache: BoundedTtlCache<Namespace>;
  readonly #keysByNamespaceId = new Map<string, Set<string>>();
  readonly #now: () => number;
  #epoch = 0;

  constructor(options: NamespaceResolverOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#cache = new BoundedTtlCache<Namespace>({
      maxEntries: options.maxEntries ?? 20_000,
      onEvict: (cacheKey, namespace) => {
        const keys = this.#keysByNamespaceId.get(namespace.namespaceId);
        keys?.delete(cacheKey);
        if (keys?.size === 0) this.#keysByNamespaceId.delete(namespace.namespaceId);
      },
    });
  }

  /** `trace` is the request's span context, so a lookup that reaches the service is traced under it. */
  async resolve(caller: Caller, identifier: string, trace?: Context): Promise<Result<Namespace, AppError>> {
    const missing = notFound("namespace", identifier);
    if (!isPlausibleIdentifier(identifier)) return err(missing);
    const cacheKey = `${caller.organizationId}\u0000${identifier}`;
    let namespace = this.#cache.get(cacheKey, this.#now());
    if (namespace === undefined) {
      const epoch = this.#epoch;
      const fetched = await this.#options.fetch(caller, identifier, trace);
      if (!fetched.ok) return fetched;
      if (fetched.value === null) return err(missing);
      namespace = fetched.value;
      if (namespace.organizationId === caller.organizationId && epoch === this.#epoch) {
        this.#remember(cacheKey, namespace);
      }
    }
    if (namespace.organizationId !== caller.organizationId) return err(missing);
    if (!canReachNamespace(caller, namespace.namespaceId)) return err(missing);
    return ok(namespace);
  }

  /** Drops every cached lookup (by id or by any name) that led to this namespace. */
  invalidate(namespaceId: string): void {
    this.#epoch += 1;
    const keys = this.#keysByNamespaceId.get(namespaceId);
    if (keys === undefined) return;
    for (const key of [...keys]) this.#cache.delete(key);
    this.#keysByNamespaceId.delete(namespaceId);
  }

  invalidateAll(): void {
    this.#epoch += 1;
    this.#cache.clear();
    this.#keysByNamespaceId.clear();
  }

  #remember(cacheKey: string, namespace: Namespace): void {
    this.#cache.set(cacheKey, namespace, this.#now() + this.#options.ttlMs);
    const keys = this.#keysByNamespaceId.get(namespace.namespaceId) ?? new Set<string>();
    keys.add(cacheKey);
    this.#keysByNamespaceId.set(namespace.namespaceId, keys);
  }
}

/**
 * Cheap shape check before any gRPC call: an id or a name is short and has no control characters.
 * Anything else cannot name a namespace, so it is answered as missing without asking the service.
 */
export function isPlausibleIdentifier(identifier: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  return identifier.length > 0 && identifier.length <= 256 && !/[\u0000-\u001f\u007f]/.test(identifier);
}
