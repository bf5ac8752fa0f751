import { type AppError, ok, type Result } from "@strata/errors";
import type { FastifyRequest } from "fastify";
import { requestNamespace } from "../http/namespace-scope.js";
import { callerOf, traceContextOf } from "../http/request-state.js";
import type { RouteDeps } from "./route-deps.js";
import type { Scope } from "./scoped-call.js";

/**
 * A webhook route's scope: the X-Namespace namespace, or, without the header, the organization
 * (namespaceId ""): its organization-wide webhooks, which the service lets admin keys manage only.
 */
export async function webhookScopeOf(
  request: FastifyRequest,
  deps: RouteDeps,
): Promise<Result<Scope, AppError>> {
  const call = { caller: callerOf(request), trace: traceContextOf(request) };
  if (request.headers["x-namespace"] === undefined) return ok({ namespaceId: "", call });
  const namespace = await requestNamespace(request, deps.namespaces);
  return namespace.ok ? ok({ namespaceId: namespace.value.namespaceId, call }) : namespace;
}

/** Namespace ids or names → ids, each one the caller can reach (404 otherwise, as X-Namespace). */
export async function resolveNamespaceList(
  request: FastifyRequest,
  deps: RouteDeps,
  identifiers: readonly string[] | undefined,
): Promise<Result<string[] | undefined, AppError>> {
  if (identifiers === undefined) return ok(undefined);
  const ids: string[] = [];
  for (const identifier of identifiers) {
    const resolved = await deps.namespaces.resolve(callerOf(request), identifier, traceContextOf(request));
    if (!resolved.ok) return resolved;
    ids.push(resolved.value.namespaceId);
  }
  return ok(ids);
}
