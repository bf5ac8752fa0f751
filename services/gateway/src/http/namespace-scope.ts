import { type AppError, badRequest, err, type Result } from "@strata/errors";
import type { FastifyRequest } from "fastify";
import type { Namespace, NamespaceResolver } from "../namespaces/namespace-resolver.js";
import { callerOf, traceContextOf } from "./request-state.js";

/**
 * The namespace a namespace-scoped call acts in, from `X-Namespace` (id or name). Missing header:
 * 400; a namespace the key cannot reach, of another organization, or absent: the same 404.
 */
export async function requestNamespace(
  request: FastifyRequest,
  resolver: NamespaceResolver,
): Promise<Result<Namespace, AppError>> {
  const header = request.headers["x-namespace"];
  if (typeof header !== "string" || header.length === 0) {
    return err(badRequest("The X-Namespace header is required: a namespace id or name"));
  }
  return resolver.resolve(callerOf(request), header, traceContextOf(request));
}
