import * as grpc from "@grpc/grpc-js";
import type { Context } from "@opentelemetry/api";
import { context } from "@opentelemetry/api";
import type { AppError, Result } from "@strata/errors";
import {
  type Caller,
  callUnary,
  clientInterceptors,
  createChannelOptions,
  type UnaryInvoker,
} from "@strata/grpc";
import { authV1, namespaceV1 } from "@strata/proto";

export interface BackendOptions {
  readonly authGrpcAddress: string;
  readonly namespaceGrpcAddress: string;
  readonly internalToken: string;
  readonly grpcDeadlineMs: number;
}

/** The gateway's only ways into the platform: one gRPC channel per service. */
export interface Backends {
  readonly auth: authV1.AuthServiceClient;
  readonly namespace: namespaceV1.NamespaceServiceClient;
  /** Calls a unary method for a caller, inside the request's trace context, as a Result. */
  call<Req, Res>(
    invoke: UnaryInvoker<Req, Res>,
    request: Req,
    options: { caller?: Caller; trace?: Context | undefined },
  ): Promise<Result<Res, AppError>>;
  /** grpc.health.v1 of both services says SERVING. */
  healthy(timeoutMs: number): Promise<boolean>;
  close(): void;
}

export function connectBackends(options: BackendOptions): Backends {
  const clientOptions = {
    interceptors: clientInterceptors({ internalToken: options.internalToken }),
    ...createChannelOptions(),
  };
  const credentials = grpc.credentials.createInsecure();
  const auth = new authV1.AuthServiceClient(options.authGrpcAddress, credentials, clientOptions);
  const namespace = new namespaceV1.NamespaceServiceClient(
    options.namespaceGrpcAddress,
    credentials,
    clientOptions,
  );
  return {
    auth,
    namespace,
    call(invoke, request, callOptions) {
      const run = () =>
        callUnary(invoke, request, {
          ...(callOptions.caller === undefined ? {} : { caller: callOptions.caller }),
          deadlineMs: options.grpcDeadlineMs,
        });
      return callOptions.trace === undefined ? run() : context.with(callOptions.trace, run);
    },
    async healthy(timeoutMs) {
      const answers = await Promise.all([isServing(auth, timeoutMs), isServing(namespace, timeoutMs)]);
      return answers.every(Boolean);
    },
    close() {
      auth.close();
      namespace.close();
    },
  };
}

const SERVING = 1;

/**
 * grpc.health.v1.Health/Check for the whole server (service ""), over the client's own channel so
 * the answer is about the connection requests use. The messages are tiny, so they are encoded by
 * hand: the request is empty, the answer is field 1 (varint) = status.
 */
function isServing(client: grpc.Client, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    client.makeUnaryRequest<Buffer, number>(
      "/grpc.health.v1.Health/Check",
      () => Buffer.alloc(0),
      (bytes) => (bytes[0] === 0x08 ? (bytes[1] ?? 0) : 0),
      Buffer.alloc(0),
      new grpc.Metadata(),
      { deadline: new Date(Date.now() + timeoutMs) },
      (error, status) => resolve(error === null && status === SERVING),
    );
  });
}
