import { appendToOutbox } from "@strata/bus";
import { startGrpcServer } from "@strata/grpc";
import type { Logger } from "@strata/logger";
import type { ObjectStore } from "@strata/objectstore";
import { type NatsConnection, type RunningService, startServiceRuntime } from "@strata/service-kit";
import { openDocumentVectors } from "./adapters/hot-index/open-vectors.js";
import { batchChunkPublisher } from "./adapters/nats/batch-work-queue.js";
import { startBatchWorker } from "./adapters/nats/batch-worker.js";
import { ensureBatchWorkStream } from "./adapters/nats/work-stream.js";
import { objectStoreLocationOf, openObjectStore } from "./adapters/objectstore/open-object-store.js";
import { hotIndexLocationOf, type NamespaceConfig, storeLocationOf } from "./config.js";
import { startNamespacePurger } from "./consumers/namespace-deleted.js";
import { bucketServiceRegistration } from "./data-services.js";
import type { BatchPorts } from "./domain/batches/batch-ports.js";
import { unfinishedChunks } from "./domain/batches/read-batch.js";
import { MetadataValidators } from "./domain/collections/metadata-validators.js";
import { DATA_TABLE_SPECS } from "./domain/data-tables.js";
import { NAMESPACE_TABLE_SPECS } from "./domain/tables.js";
import type { DocumentVectors } from "./domain/vectors/document-vectors.js";
import { settleStagedVectors } from "./domain/vectors/settle-staged-vectors.js";
import { namespaceGrpcServices } from "./server.js";

export type { NatsConnection };

export interface NamespaceServiceDeps {
  readonly config: NamespaceConfig;
  readonly logger: Logger;
  readonly nc: NatsConnection;
  /** Tests move time; defaults to the system clock. */
  readonly clock?: () => Date;
}

export interface RunningNamespaceService extends RunningService {
  readonly grpcAddress: string;
}

export async function startNamespaceService(deps: NamespaceServiceDeps): Promise<RunningNamespaceService> {
  // The caller names the service in its logger (main: createLogger({service}); launcher: a child).
  const { config, nc, logger } = deps;
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    tableSpecs: [...NAMESPACE_TABLE_SPECS, ...DATA_TABLE_SPECS],
    nc,
    logger,
  });
  let vectors: DocumentVectors | undefined;
  let objects: ObjectStore | undefined;
  try {
    await ensureBatchWorkStream(nc);
    vectors = await openDocumentVectors(hotIndexLocationOf(config));
    objects = await openObjectStore(objectStoreLocationOf(config));
    const objectStore = objects;
    const ports: BatchPorts = {
      store: runtime.store,
      appendEvent: appendToOutbox,
      eventsCommitted: runtime.eventsCommitted,
      clock: deps.clock ?? (() => new Date()),
      metadataValidators: new MetadataValidators(),
      vectors,
      enqueueChunks: batchChunkPublisher(nc, logger),
    };
    // Before any write: vectors a crash left staged are kept or dropped by the documents (ADR 0013).
    const settled = await settleStagedVectors(ports);
    if (!settled.ok) throw new Error(`Settling staged vectors failed: ${settled.error.message}`);
    if (settled.value.kept + settled.value.dropped > 0) logger.info(settled.value, "settled staged vectors");
    const server = await startGrpcServer({
      serviceName: "namespace",
      host: config.NAMESPACE_GRPC_HOST,
      port: config.NAMESPACE_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      logger,
      services: [
        ...namespaceGrpcServices(ports),
        bucketServiceRegistration({ ...ports, objects, maxObjectBytes: config.NAMESPACE_MAX_OBJECT_BYTES }),
      ],
    });
    const worker = await startBatchWorker({ nc, ports, logger });
    const purger = await startNamespacePurger({ nc, ports: { ...ports, objects }, logger });
    // A crash between a batch's commit and its enqueue left chunks that no message names.
    await ports.enqueueChunks(await unfinishedChunks(ports));
    let stopped: Promise<void> | undefined;
    return {
      name: "namespace",
      grpcAddress: server.address,
      ready: runtime.ready,
      stop: () => {
        // The consumers first: a chunk or a purge in progress finishes before the store closes.
        stopped ??= Promise.all([worker.stop(), purger.stop()])
          .then(() => runtime.stop(server))
          .then(() => ports.vectors.close())
          .then(() => objectStore.close());
        return stopped;
      },
    };
  } catch (exception: unknown) {
    await vectors?.close();
    await objects?.close();
    await runtime.abort();
    throw exception;
  }
}
