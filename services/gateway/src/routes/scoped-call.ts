import type { Context } from "@opentelemetry/api";
import type { Caller } from "@strata/access";
import type { AppError, Result } from "@strata/errors";
import { ok } from "@strata/errors";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { answerIdempotently } from "../http/idempotent-answer.js";
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
  const namespaceId = namespace.value.namespaceId;
  const trace = traceContextOf(request);
  const caller = await withVisibility(callerOf(request), namespaceId, deps, trace);
  return caller.ok ? ok({ namespaceId, call: { caller: caller.value, trace } }) : caller;
}

/**
 * A principal caller carries its compiled visibility filter for the namespace (ADR 0018), from
 * acl-query (which caches it), so every service that reads documents runs the same filter inside
 * its own store or index query. An org key acting for nobody carries none and sees everything.
 */
async function withVisibility(
  caller: Caller,
  namespaceId: string,
  deps: RouteDeps,
  trace: Context | undefined,
): Promise<Result<Caller, AppError>> {
  if (caller.principalId === undefined) return ok(caller);
  const compiled = await deps.backends.acl.compileVisibility({ namespaceId }, { caller, trace });
  if (!compiled.ok) return compiled;
  return ok({ ...caller, visibility: { namespaceId, filter: compiled.value.filter ?? {} } });
}

/**
 * A namespace-scoped call: resolve X-Namespace, run `call`, and answer its view or its error.
 */
export async function inNamespace<View>(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  call: (scope: Scope) => Promise<Result<View, AppError>>,
): Promise<View | FastifyReply> {
  const scope = await scopeOf(request, deps);
  if (!scope.ok) return sendAppError(request, reply, scope.error);
  const answer = await call(scope.value);
  return answer.ok ? answer.value : sendAppError(request, reply, answer.error);
}

/**
 * Every namespace-scoped create: resolve X-Namespace, run `create` once per Idempotency-Key in that
 * namespace (the same key and body sent to another namespace creates there), answer `status`.
 * `create` gets the request token, which a service that would otherwise duplicate on a retry after
 * a crash (an unnamed resource) records with what it creates (ADR 0016); resources with a unique
 * name need none: the retry gets 409 already_exists.
 */
export async function createInNamespace<View>(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  status: 201 | 202,
  create: (scope: Scope, requestToken: string | undefined) => Promise<Result<View, AppError>>,
): Promise<FastifyReply> {
  const scope = await scopeOf(request, deps);
  if (!scope.ok) return sendAppError(request, reply, scope.error);
  return answerIdempotently(
    request,
    reply,
    deps.idempotency,
    async (requestToken) => {
      const created = await create(scope.value, requestToken);
      return created.ok ? ok({ status, body: created.value }) : created;
    },
    scope.value.namespaceId,
  );
}

// X-Namespace stays optional in the schema so that its absence is the documented 400, not a 422.
export const scopedCreateHeaderSchema = z.looseObject({
  ...namespaceHeaderSchema.shape,
  ...idempotencyHeaderSchema.shape,
});

export const identifierParams = (what: string) =>
  z.object({ id: z.string().min(1).describe(`${what} id or name`) });

export const descriptionSchema = z.string().max(2000);
