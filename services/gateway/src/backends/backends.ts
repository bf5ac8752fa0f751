import * as grpc from "@grpc/grpc-js";
import type { Context } from "@opentelemetry/api";
import { context } from "@opentelemetry/api";
import type { Caller } from "@strata/access";
import type { AppError, Result } from "@strata/errors";
import {
  callUnary,
  clientInterceptors,
  createChannelOptions,
  type LocalServices,
  type UnaryInvoker,
} from "@strata/grpc";
import {
  alertV1,
  authV1,
  batchV1,
  bucketV1,
  collectionV1,
  documentV1,
  namespaceV1,
  retrieverV1,
  taxonomyV1,
} from "@strata/proto";

export interface BackendOptions {
  readonly authGrpcAddress: string;
  readonly namespaceGrpcAddress: string;
  readonly aclQueryGrpcAddress: string;
  readonly internalToken: string;
  readonly grpcDeadlineMs: number;
  /** The launcher's registry of this process's servers (ADR 0010); none: every call over gRPC. */
  readonly localCalls?: LocalServices;
}

/** The gateway's only ways into the platform: one gRPC channel per service. */
export interface Backends {
  readonly auth: authV1.AuthServiceClient;
  readonly namespace: namespaceV1.NamespaceServiceClient;
  // The data services live in the namespace service's process, behind the same address.
  readonly collection: collectionV1.CollectionServiceClient;
  readonly document: documentV1.DocumentServiceClient;
  readonly taxonomy: taxonomyV1.TaxonomyServiceClient;
  readonly bucket: bucketV1.BucketServiceClient;
  readonly batch: batchV1.BatchServiceClient;
  // Retrievers and alerts live in the acl-query service, one channel for both.
  readonly retriever: retrieverV1.RetrieverServiceClient;
  readonly alert: alertV1.AlertServiceClient;
  /**
   * Calls a unary method for a caller, inside the request's trace context, as a Result. The
   * deadline is the configured one unless the route names its own (a large upload needs longer).
   */
  call<Req, Res>(
    invoke: UnaryInvoker<Req, Res>,
    request: Req,
    options: { caller?: Caller; trace?: Context | undefined; deadlineMs?: number },
  ): Promise<Result<Res, AppError>>;
  /** grpc.health.v1 of every service says SERVING. */
  healthy(timeoutMs: number): Promise<boolean>;
  close(): void;
}

export function connectBackends(options: BackendOptions): Backends {
  const clientOptions = (target: string) => ({
    interceptors: clientInterceptors({
      internalToken: options.internalToken,
      target,
      localCalls: options.localCalls,
    }),
    ...createChannelOptions(),
  });
  const credentials = grpc.credentials.createInsecure();
  const auth = new authV1.AuthServiceClient(
    options.authGrpcAddress,
    credentials,
    clientOptions(options.authGrpcAddress),
  );
  const namespace = new namespaceV1.NamespaceServiceClient(
    options.namespaceGrpcAddress,
    credentials,
    clientOptions(options.namespaceGrpcAddress),
  );
  // Sharing the namespace client's channel: one connection per service process, not one per client.
  const shared = { ...clientOptions(options.namespaceGrpcAddress), channelOverride: namespace.getChannel() };
  const collection = new collectionV1.CollectionServiceClient(
    options.namespaceGrpcAddress,
    credentials,
    shared,
  );
  const document = new documentV1.DocumentServiceClient(options.namespaceGrpcAddress, credentials, shared);
  const taxonomy = new taxonomyV1.TaxonomyServiceClient(options.namespaceGrpcAddress, credentials, shared);
  const bucket = new bucketV1.BucketServiceClient(options.namespaceGrpcAddress, credentials, shared);
  const batch = new batchV1.BatchServiceClient(options.namespaceGrpcAddress, credentials, shared);
  const retriever = new retrieverV1.RetrieverServiceClient(
    options.aclQueryGrpcAddress,
    credentials,
    clientOptions(options.aclQueryGrpcAddress),
  );
  const alert = new alertV1.AlertServiceClient(options.aclQueryGrpcAddress, credentials, {
    ...clientOptions(options.aclQueryGrpcAddress),
    channelOverride: retriever.getChannel(),
  });
  return {
    auth,
    namespace,
    collection,
    document,
    taxonomy,
    bucket,
    batch,
    retriever,
    alert,
    call(invoke, request, callOptions) {
      const run = () =>
        callUnary(invoke, request, {
          ...(callOptions.caller === undefined ? {} : { caller: callOptions.caller }),
          deadlineMs: callOptions.deadlineMs ?? options.grpcDeadlineMs,
        });
      return callOptions.trace === undefined ? run() : context.with(callOptions.trace, run);
    },
    async healthy(timeoutMs) {
      const answers = await Promise.all([
        isServing(auth, timeoutMs),
        isServing(namespace, timeoutMs),
        isServing(retriever, timeoutMs),
      ]);
      return answers.every(Boolean);
    },
    close() {
      auth.close();
      // Closes the channel the data-service clients share too.
      namespace.close();
      retriever.close();
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
