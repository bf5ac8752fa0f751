import { setTimeout } from "node:timers/promises";
import type { AppError, Result } from "@strata/errors";
import type { Logger } from "@strata/logger";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { IdempotencyGuard, StoredAnswer } from "../idempotency/idempotency-guard.js";
import { sendAppError } from "./errors.js";
import { authStateOf } from "./request-state.js";

export interface IdempotencyDeps {
  readonly guard: IdempotencyGuard;
  readonly logger: Logger;
  /** Tests only (GATEWAY_TEST_ONLY_IDEMPOTENT_ANSWER_DELAY): a pause between commit and answer. */
  readonly testOnlyAnswerDelayMs?: number;
}

/**
 * Runs a creating operation under the request's `Idempotency-Key` (when it has one): a retry gets
 * the first answer with `Idempotent-Replayed: true` instead of creating a duplicate. `run` gets the
 * request token to pass to the service (undefined without a key): when the first attempt died after
 * its service committed, the attempt that takes over gets the same resource back (ADR 0016).
 */
export async function answerIdempotently(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: IdempotencyDeps,
  run: (requestToken: string | undefined) => Promise<Result<StoredAnswer, AppError>>,
  /**
   * What else besides the path makes two requests different, e.g. the X-Namespace they act in:
   * the same key and body sent to another namespace creates there rather than replaying.
   */
  scope?: string,
): Promise<FastifyReply> {
  const header = request.headers["idempotency-key"];
  if (header === undefined) return send(request, reply, await run(undefined));
  const { caller, secret } = authStateOf(request);
  const decision = await deps.guard.begin({
    organizationId: caller.organizationId,
    keyId: caller.keyId,
    apiKeySecret: secret,
    method: request.method,
    path: `${request.url.split("?")[0] ?? request.url}${scope === undefined ? "" : ` ${scope}`}`,
    idempotencyKey: Array.isArray(header) ? header.join(",") : header,
    body: request.body,
  });
  if (!decision.ok) return sendAppError(request, reply, decision.error);
  if (decision.value.kind === "replay") {
    const { status, body } = decision.value.answer;
    return reply.header("idempotent-replayed", "true").code(status).send(body);
  }
  const { finish, requestToken } = decision.value;
  let outcome: Result<StoredAnswer, AppError>;
  try {
    outcome = await run(requestToken);
  } catch (error: unknown) {
    // A bug in the route: release the key so a retry is not told "in progress" for a minute.
    await finish({ status: 500, body: null }).catch(() => undefined);
    throw error;
  }
  const delayMs = deps.testOnlyAnswerDelayMs ?? 0;
  if (delayMs > 0) await setTimeout(delayMs);
  try {
    await finish(outcome.ok ? outcome.value : { status: 500, body: null });
  } catch (error: unknown) {
    // The operation happened; only its replay copy is lost. Answer it rather than fail the call.
    deps.logger.warn({ err: error, request_id: request.id }, "could not store the idempotent answer");
  }
  return send(request, reply, outcome);
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: Result<StoredAnswer, AppError>,
): FastifyReply {
  if (!outcome.ok) return sendAppError(request, reply, outcome.error);
  return reply.code(outcome.value.status).send(outcome.value.body);
}
