// Shared by the *.int.test.ts files of this lib: a tiny fake AuthService over a real server.
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import * as grpc from "@grpc/grpc-js";
import { appError, ERROR_KINDS, type ErrorKind, ok } from "@strata/errors";
import { createLogger, type DestinationStream } from "@strata/logger";
import { authV1 } from "@strata/proto";
import { currentTraceId } from "@strata/telemetry";
import { clientInterceptors, createChannelOptions } from "./client.js";
import { unary, unaryWithCaller } from "./handlers.js";
import type { LocalServices } from "./local-calls.js";
import { type RunningGrpcServer, startGrpcServer } from "./server.js";

export const TOKEN = "internal-token-for-tests";
export const SERVICE = "strata.auth.v1.AuthService";
export const LEAKED_SECRET = "sk_live_4Fq9ThisMustNeverBeLogged123";

export interface Fixture {
  readonly server: RunningGrpcServer;
  readonly client: authV1.AuthServiceClient;
  readonly logLines: string[];
  /** Set by the "slow" handler when its signal aborts. */
  readonly aborted: { value: boolean };
  close(): Promise<void>;
}

function apiKey(fields: Partial<authV1.ApiKey>): authV1.ApiKey {
  return authV1.ApiKey.fromPartial(fields);
}

function fakeAuthService(aborted: { value: boolean }): authV1.AuthServiceServer {
  return {
    createOrganization: unary(async () => ok(authV1.CreateOrganizationResponse.fromPartial({ secret: "x" }))),
    // A raw handler (not built with `unary`), to check the wrapper's own safety net.
    createKey: (call, callback) => {
      if (call.request.name === "sync-throw") throw new Error(`sync boom ${LEAKED_SECRET}`);
      callback(null, authV1.CreateKeyResponse.fromPartial({ secret: "created" }));
    },
    // Reads `this`, as methods of a class-based implementation do.
    listKeys(_call, callback) {
      callback(null, authV1.ListKeysResponse.fromPartial({ nextCursor: typeof this.verifyKey }));
    },
    revokeKey: unary(async () => ok(authV1.RevokeKeyResponse.fromPartial({}))),
    createPrincipal: unary(async () => ok({})),
    getPrincipal: unary(async () => ok({})),
    listPrincipals: unary(async () => ok({ principals: [], nextCursor: "" })),
    updatePrincipal: unary(async () => ok({})),
    deletePrincipal: unary(async () => ok({})),
    resolvePrincipal: unary(async () => ok({ found: false })),
    rotateKey: unary(async () => ok(authV1.RotateKeyResponse.fromPartial({}))),
    // Echoes the caller so tests see what the server decoded.
    getKey: unaryWithCaller(async (request: authV1.GetKeyRequest, context) =>
      ok({
        key: apiKey({
          keyId: context.caller.keyId,
          organizationId: context.caller.organizationId,
          name: request.keyId,
          namespaces: [...context.caller.namespaces],
          roles: [...context.caller.roles],
          ...(context.caller.principalId === undefined ? {} : { principalId: context.caller.principalId }),
          attributes: { ...context.caller.attributes },
        }),
      }),
    ),
    // The secret field drives the behaviour under test.
    verifyKey: unary(async (request: authV1.VerifyKeyRequest, context) => {
      const { secret } = request;
      if (secret === "throw") throw new Error(`boom while checking ${LEAKED_SECRET}`);
      if (secret === "slow") {
        await sleep(2_000, undefined, { signal: context.signal }).catch(() => {
          aborted.value = true;
        });
        return ok({ valid: false });
      }
      const kind = ERROR_KINDS.find((candidate) => secret === `kind:${candidate}`);
      if (kind !== undefined) return { ok: false, error: sampleError(kind) } as const;
      return ok({
        valid: true,
        key: apiKey({
          keyId: "key_1",
          name: currentTraceId() ?? "",
          organizationId: context.caller?.keyId ?? "",
        }),
      });
    }),
  };
}

/** An AppError using every optional field, so a round trip that drops one fails. */
export function sampleError(kind: ErrorKind) {
  return appError(kind, `message for ${kind}`, { resource: "api_key", nested: { list: [1, "two"] } }, 7);
}

/** `localCalls`: the registry the server joins, as the launcher's servers do. */
export async function startFixture(options: { localCalls?: LocalServices } = {}): Promise<Fixture> {
  const logLines: string[] = [];
  const aborted = { value: false };
  const destination: DestinationStream = { write: (line: string) => void logLines.push(line) };
  const server = await startGrpcServer({
    serviceName: "auth",
    host: "127.0.0.1",
    port: 0,
    internalToken: TOKEN,
    services: [
      { name: SERVICE, definition: authV1.AuthServiceService, implementation: fakeAuthService(aborted) },
    ],
    logger: createLogger({ service: "auth", level: "debug", destination }),
    ...(options.localCalls === undefined ? {} : { localCalls: options.localCalls }),
  });
  const client = new authV1.AuthServiceClient(server.address, grpc.credentials.createInsecure(), {
    interceptors: clientInterceptors({ internalToken: TOKEN }),
    ...createChannelOptions(),
  });
  return {
    server,
    client,
    logLines,
    aborted,
    async close() {
      client.close();
      await server.shutdown(100);
    },
  };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
