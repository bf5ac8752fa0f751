import type { FastifyInstance, RouteOptions } from "fastify";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/**
 * Every authenticated route may answer these: no or a bad key (401), a key without the permission
 * (403), over its rate limit (429), a bug (500), a backing service down or slow (503).
 */
const ALWAYS = [401, 403, 429, 500, 503];

/**
 * The error statuses a route can really answer, from its shape. Routes list all error bodies
 * (common.ts errorResponses); this onRoute hook, installed before the OpenAPI plugin, keeps only
 * these, so the document claims no 413 for a GET and routes added later follow the same rules.
 */
export function possibleErrorStatuses(
  route: Pick<RouteOptions, "method" | "url" | "schema" | "config">,
): number[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const takesBody = methods.some((method) => BODY_METHODS.has(method));
  const schema = route.schema ?? {};
  const scoped = hasField(schema.headers, "x-namespace");
  const named = route.url.includes(":") || route.url.includes("*");
  const validated = [schema.body, schema.params, schema.querystring, schema.headers].some(
    (part) => part !== undefined,
  );
  const statuses = [...ALWAYS];
  // Malformed JSON, a missing X-Namespace, a checksum that does not match.
  if (takesBody || (scoped && route.config?.optionalNamespace !== true)) statuses.push(400);
  // The named resource or the X-Namespace namespace is not there (or not visible to the key).
  if (named || scoped) statuses.push(404);
  if (takesBody) statuses.push(413);
  // A name already taken or the same Idempotency-Key still in flight; a body that is not JSON.
  // A route without a body schema reads none: nothing of it can conflict or be of the wrong type.
  if (takesBody && schema.body !== undefined && route.config?.anyContentType !== true) {
    statuses.push(409, 415);
  }
  if (validated) statuses.push(422);
  return statuses.sort((a, b) => a - b);
}

export function installRouteErrorRules(app: FastifyInstance): void {
  app.addHook("onRoute", (route) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (response === undefined || response[401] === undefined) return;
    const keep = new Set(possibleErrorStatuses(route));
    route.schema = {
      ...route.schema,
      response: Object.fromEntries(
        Object.entries(response).filter(([status]) => Number(status) < 400 || keep.has(Number(status))),
      ),
    };
  });
}

function hasField(schema: unknown, field: string): boolean {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape !== undefined && field in shape;
}
