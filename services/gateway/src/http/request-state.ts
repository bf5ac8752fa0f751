import type { IncomingMessage } from "node:http";
import type { Context } from "@opentelemetry/api";
import type { Caller, Permission } from "@strata/access";
import type { FastifyRequest } from "fastify";

/**
 * Who a route is for: "public" routes skip authentication; the others name the permission the key
 * must hold (read ⊂ write ⊂ admin). Checked by the authentication hook before the body is parsed.
 */
export type RouteAccess = "public" | Permission;

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** The body is raw bytes of any media type (object upload): never a 415, nor a 409. */
    anyContentType?: boolean;
    /** X-Namespace may be left out (whoami): its absence is no 400. */
    optionalNamespace?: boolean;
  }
}

export interface AuthenticatedRequestState {
  readonly caller: Caller;
  /** Kept only for this request: idempotent answers are sealed under a key derived from it. */
  readonly secret: string;
}

// Per-request state lives in WeakMaps rather than request decorations: nothing outside this module
// can set it, and it goes away with the request.
const authStates = new WeakMap<FastifyRequest, AuthenticatedRequestState>();
const traceContexts = new WeakMap<IncomingMessage, Context>();

export function setAuthState(request: FastifyRequest, state: AuthenticatedRequestState): void {
  authStates.set(request, state);
}

/** The verified caller of a non-public route. Absent only through a bug (a route without access). */
export function authStateOf(request: FastifyRequest): AuthenticatedRequestState {
  const state = authStates.get(request);
  if (state === undefined)
    throw new Error(`route ${request.routeOptions.url ?? "?"} ran without authentication`);
  return state;
}

export function callerOf(request: FastifyRequest): Caller {
  return authStateOf(request).caller;
}

export function setTraceContext(raw: IncomingMessage, ctx: Context): void {
  traceContexts.set(raw, ctx);
}

/** The request's SERVER span context: body parsing runs on socket callbacks that lose it. */
export function traceContextOf(request: FastifyRequest): Context | undefined {
  return traceContexts.get(request.raw);
}
