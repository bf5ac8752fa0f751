import type { Context } from "@opentelemetry/api";
import type { AppError, Result } from "@strata/errors";
import { ok } from "@strata/errors";
import type { Caller } from "@strata/grpc";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requestNamespace } from "../http/namespace-scope.js";
import { callerOf, traceContextOf } from "../http/request-state.js";
import { idempotencyHeaderSchema, namespaceHeaderSchema } from "./common.js";
import type { RouteDeps } from "./route-deps.js";

/** What a namespace-scoped route needs for its gRPC call. */
export interface Scope {
  readonly namespaceId: string;
  readonly call: { readonly caller: Caller; readonly trace: Context | undefined };
}

/** Resolves X-Namespace (400 when missing, 404 when unreachable) for a namespace-scoped route. */
export async function scopeOf(request: FastifyRequest, deps: RouteDeps): Promise<Result<Scope, AppError>> {
  const namespace = await requestNamespace(request, deps.namespaces);
  if (!namespace.ok) return namespace;
  return ok({
    namespaceId: namespace.value.namespaceId,
    call: { caller: callerOf(request), trace: traceContextOf(request) },
  });
}

// X-Namespace stays optional in the schema so that its absence is the documented 400, not a 422.
export const scopedCreateHeaderSchema = z.looseObject({
  ...namespaceHeaderSchema.shape,
  ...idempotencyHeaderSchema.shape,
});

export const identifierParams = (what: string) =>
  z.object({ id: z.string().min(1).describe(`${what} id or name`) });

export const descriptionSchema = z.string().max(2000);
