import * as grpc from "@grpc/grpc-js";
import {
  clientInterceptors,
  createChannelOptions,
  type LocalServices,
  type ResultClient,
  resultClient,
} from "@strata/grpc";
import {
  aclV1,
  alertV1,
  authV1,
  batchV1,
  bucketV1,
  cloneV1,
  collectionV1,
  documentV1,
  manifestV1,
  namespaceV1,
  retrieverV1,
  taxonomyV1,
  tieringV1,
  tierV1,
  webhookV1,
} from "@strata/proto";

export interface BackendOptions {
  readonly authGrpcAddress: string;
  readonly namespaceGrpcAddress: string;
  readonly aclQueryGrpcAddress: string;
  readonly webhookGrpcAddress: string;
  readonly tierMigratorGrpcAddress: string;
  readonly manifestGrpcAddress: string;
  readonly internalToken: string;
  readonly grpcDeadlineMs: number;
  /** The launcher's registry of this process's servers (ADR 0010); none: every call over gRPC. */
  readonly localCalls?: LocalServices;
}

/**
 * The gateway's only ways into the platform: one gRPC channel per service, each service's methods
 * answering Results (`backends.auth.verifyKey({ secret }, { caller, trace })`). A call's deadline is
 * the configured one unless the route names its own (a large upload needs longer).
 */
/** The services behind the gateway, by the name /readyz reports them under. */
export type BackendService =
  | "auth"
  | "namespace"
  | "acl-query"
  | "webhook-dispatcher"
  | "tier-migrator"
  | "manifest";

export interface Backends {
  readonly auth: ResultClient<typeof authV1.AuthServiceService>;
  readonly namespace: ResultClient<typeof namespaceV1.NamespaceServiceService>;
  // The data services live in the namespace service's process, behind the same address.
  readonly collection: ResultClient<typeof collectionV1.CollectionServiceService>;
  readonly document: ResultClient<typeof documentV1.DocumentServiceService>;
  readonly taxonomy: ResultClient<typeof taxonomyV1.TaxonomyServiceService>;
  readonly bucket: ResultClient<typeof bucketV1.BucketServiceService>;
  readonly batch: ResultClient<typeof batchV1.BatchServiceService>;
  /** Moves between storage tiers (ADR 0023). */
  readonly tier: ResultClient<typeof tierV1.TierServiceService>;
  /** Namespace clones (ADR 0024, 0028). */
  readonly clone: ResultClient<typeof cloneV1.CloneServiceService>;
  // Retrievers and alerts live in the acl-query service, one channel for both.
  readonly retriever: ResultClient<typeof retrieverV1.RetrieverServiceService>;
  readonly alert: ResultClient<typeof alertV1.AlertServiceService>;
  /** Whether grpc.health.v1 of each service says SERVING, by service name. */
  health(timeoutMs: number): Promise<Record<BackendService, boolean>>;
  /** ACL rules and the compiled visibility filters (ADR 0018). */
  readonly acl: ResultClient<typeof aclV1.AclServiceService>;
  readonly webhook: ResultClient<typeof webhookV1.WebhookServiceService>;
  /** Tiering policies, sweeps and tier costs (tier-migrator). */
  readonly tiering: ResultClient<typeof tieringV1.TieringServiceService>;
  /** Manifests: export, diff, apply (ADR 0025). */
  readonly manifest: ResultClient<typeof manifestV1.ManifestServiceService>;
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
  const defaults = { deadlineMs: options.grpcDeadlineMs };
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
  const retriever = new retrieverV1.RetrieverServiceClient(
    options.aclQueryGrpcAddress,
    credentials,
    clientOptions(options.aclQueryGrpcAddress),
  );
  const webhook = new webhookV1.WebhookServiceClient(
    options.webhookGrpcAddress,
    credentials,
    clientOptions(options.webhookGrpcAddress),
  );
  const tiering = new tieringV1.TieringServiceClient(
    options.tierMigratorGrpcAddress,
    credentials,
    clientOptions(options.tierMigratorGrpcAddress),
  );
  const manifest = new manifestV1.ManifestServiceClient(
    options.manifestGrpcAddress,
    credentials,
    clientOptions(options.manifestGrpcAddress),
  );
  // Sharing the namespace (and acl-query) client's channel: one connection per service process,
  // not one per client.
  const onChannelOf = (client: grpc.Client, target: string) =>
    new grpc.Client(target, credentials, { ...clientOptions(target), channelOverride: client.getChannel() });
  const namespaceShared = () => onChannelOf(namespace, options.namespaceGrpcAddress);
  return {
    auth: resultClient(auth, authV1.AuthServiceService, defaults),
    namespace: resultClient(namespace, namespaceV1.NamespaceServiceService, defaults),
    collection: resultClient(namespaceShared(), collectionV1.CollectionServiceService, defaults),
    document: resultClient(namespaceShared(), documentV1.DocumentServiceService, defaults),
    taxonomy: resultClient(namespaceShared(), taxonomyV1.TaxonomyServiceService, defaults),
    bucket: resultClient(namespaceShared(), bucketV1.BucketServiceService, defaults),
    batch: resultClient(namespaceShared(), batchV1.BatchServiceService, defaults),
    tier: resultClient(namespaceShared(), tierV1.TierServiceService, defaults),
    clone: resultClient(namespaceShared(), cloneV1.CloneServiceService, defaults),
    retriever: resultClient(retriever, retrieverV1.RetrieverServiceService, defaults),
    alert: resultClient(
      onChannelOf(retriever, options.aclQueryGrpcAddress),
      alertV1.AlertServiceService,
      defaults,
    ),
    acl: resultClient(onChannelOf(retriever, options.aclQueryGrpcAddress), aclV1.AclServiceService, defaults),
    webhook: resultClient(webhook, webhookV1.WebhookServiceService, defaults),
    tiering: resultClient(tiering, tieringV1.TieringServiceService, defaults),
    manifest: resultClient(manifest, manifestV1.ManifestServiceService, defaults),
    async health(timeoutMs) {
      const [authUp, namespaceUp, aclQueryUp, webhookUp, tieringUp, manifestUp] = await Promise.all([
        isServing(auth, timeoutMs),
        isServing(namespace, timeoutMs),
        isServing(retriever, timeoutMs),
        isServing(webhook, timeoutMs),
        isServing(tiering, timeoutMs),
        isServing(manifest, timeoutMs),
      ]);
      return {
        auth: authUp,
        namespace: namespaceUp,
        "acl-query": aclQueryUp,
        "webhook-dispatcher": webhookUp,
        "tier-migrator": tieringUp,
        manifest: manifestUp,
      };
    },
    close() {
      auth.close();
      // Closes the channel the data-service clients share too.
      namespace.close();
      retriever.close();
      webhook.close();
      tiering.close();
      manifest.close();
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
