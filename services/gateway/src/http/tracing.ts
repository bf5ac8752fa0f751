import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { context, trace } from "@opentelemetry/api";
import { extractTraceContext, SpanKind, withSpan } from "@strata/telemetry";
import type { FastifyInstance } from "fastify";
import { setTraceContext, traceContextOf } from "./request-state.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A node:http server whose every request runs inside a SERVER span continuing the caller's
 * `traceparent`. The span wraps fastify's whole handling, so it ends when the answer is written;
 * the gRPC client interceptor makes its CLIENT spans children of it (see callBackend).
 */
export function tracingServerFactory(handler: Handler): Server {
  return createServer((req, res) => {
    void withSpan(
      `HTTP ${req.method ?? "?"}`,
      {
        kind: SpanKind.SERVER,
        parent: extractTraceContext(req.headers),
        attributes: {
          "http.request.method": req.method ?? "",
          "url.path": (req.url ?? "").split("?")[0] ?? "",
        },
        tracerName: "strata-gateway",
      },
      (span) =>
        new Promise<void>((resolve) => {
          setTraceContext(req, context.active());
          const done = (): void => {
            span.setAttribute("http.response.status_code", res.statusCode);
            resolve();
          };
          res.once("finish", done);
          res.once("close", done);
          handler(req, res);
        }),
    );
  });
}

/** Names the span after the matched route ("GET /v1/namespaces/:id"), known once routing is done. */
export function installSpanNaming(app: FastifyInstance): void {
  app.addHook("onRequest", async (request) => {
    const ctx = traceContextOf(request);
    const span = ctx === undefined ? undefined : trace.getSpan(ctx);
    if (span === undefined) return;
    const route = request.is404 ? "unmatched" : (request.routeOptions.url ?? "unmatched");
    span.updateName(`${request.method} ${route}`);
    span.setAttribute("http.route", route);
  });
}
