import type { ApiKeyVerifier } from "../auth/api-key-verifier.js";
import type { Backends } from "../backends/backends.js";
import type { IdempotencyDeps } from "../http/idempotent-answer.js";
import type { NamespaceResolver } from "../namespaces/namespace-resolver.js";

/** What the /v1 route groups work with. */
export interface RouteDeps {
  readonly backends: Backends;
  readonly verifier: ApiKeyVerifier;
  readonly namespaces: NamespaceResolver;
  readonly idempotency: IdempotencyDeps;
}

/** Marks a route as needing the bearer key in the OpenAPI document. */
export const BEARER = [{ bearerAuth: [] }];
