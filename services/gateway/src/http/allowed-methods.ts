import type { FastifyInstance } from "fastify";
import FindMyWay, { type HTTPMethod } from "find-my-way";

const METHODS: readonly HTTPMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/**
 * Which methods a path has routes for, so that a wrong method on a known path answers 405 with
 * `Allow` (RFC 9110 §15.5.6) instead of 404. Fastify's own router only says "no route"; this is a
 * second router of the same kind (find-my-way, the same matching rules) filled from onRoute, so
 * routes added by any module are known without a list to keep up to date.
 */
export function trackAllowedMethods(app: FastifyInstance): (path: string) => string[] {
  const router = FindMyWay({ ignoreTrailingSlash: false, caseSensitive: true });
  const noop = () => undefined;
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (router.hasRoute(method as HTTPMethod, route.url)) continue;
      router.on(method as HTTPMethod, route.url, noop);
    }
  });
  return (path) => METHODS.filter((method) => router.find(method, path) !== null);
}
