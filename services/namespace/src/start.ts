import type { ObjectStore } from "@strata/objectstore";
import {
  consumerObserverOf,
  type NatsConnection,
  type RunningService,
  runningGrpcService,
  type ServiceStartDeps,
  startMemorySettler,
  startServiceGrpcServer,
  startServiceRuntime,
} from "@strata/service-kit";
import { type OpenedDocumentVectors, openDocumentVectors } from "./adapters/hot-index/open-vectors.js";
import { publishAccessEvents } from "./adapters/nats/access-events.js";
import { batchChunkPublisher } from "./adapters/nats/batch-work-queue.js";
import { startBatchWorker } from "./adapters/nats/batch-worker.js";
import { ensureBatchWorkStream } from "./adapters/nats/work-stream.js";
import { bucketObjects } from "./adapters/objectstore/bucket-objects.js";
import { objectStoreLocationOf, openObjectStore } from "./adapters/objectstore/open-object-store.js";
import { type OpenedTiers, openTiers } from "./adapters/tiers/open-tiers.js";
import { hotIndexLocationOf, type NamespaceConfig, storeLocationOf, warmIndexLocationOf } from "./config.js";
import { startNamespacePurger } from "./consumers/namespace-deleted.js";
import { unfinishedChunks } from "./modules/batches/read-batch.js";
import { CloneRuns } from "./modules/clones/clone-runs.js";
import { failInterruptedClones } from "./modules/clones/interrupted-clones.js";
import { backfillLabelIndex } from "./modules/documents/backfill-label-index.js";
import { settleStagedVectors } from "./modules/documents/settle-staged-vectors.js";
import { namespaceIsLive } from "./modules/namespaces/api.js";
import { startPeriodicReconcile } from "./modules/tiers/periodic-reconcile.js";
import { reconcileMoves } from "./modules/tiers/reconcile-moves.js";
import { workSlots } from "./modules/tiers/work-slots.js";
import {
  MODULE_TABLE_SPECS,
  type ModuleAdapters,
  moduleCloneCleanUps,
  moduleCloneSteps,
  modulePurgeSteps,
  moduleServices,
} from "./modules.js";
import { AccessWindow } from "./shared/access-window.js";
import type { CloneCleanUp, CloneStep } from "./shared/clone-step.js";
import { MetadataValidators } from "./shared/metadata-validators.js";
import { tieredVectors } from "./shared/vectors/tiered-vectors.js";

export type { NatsConnection };

export interface NamespaceServiceDeps extends ServiceStartDeps<NamespaceConfig> {
  /** Awaited by every clone after it copied everything, before it commits; none: nothing waits. */
  readonly beforeCloneCommit?: () => Promise<void>;
}

export interface RunningNamespaceService extends RunningService {
  readonly grpcAddress: string;
}

export async function startNamespaceService(deps: NamespaceServiceDeps): Promise<RunningNamespaceService> {
  const { config, nc, logger } = deps;
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    storeReentryCheck: config.STRATA_STORE_REENTRY_CHECK,
    tableSpecs: MODULE_TABLE_SPECS,
    nc,
    logger,
    metrics: deps.metrics,
  });
  let vectors: OpenedDocumentVectors | undefined;
  let objects: ObjectStore | undefined;
  let tiers: OpenedTiers | undefined;
  try {
    await ensureBatchWorkStream(nc);
    vectors = await openDocumentVectors(hotIndexLocationOf(config));
    objects = await openObjectStore(objectStoreLocationOf(config));
    const objectStore = objects;
    tiers = openTiers(
      vectors.hotTier,
      warmIndexLocationOf(config),
      objectStore,
      config.NAMESPACE_COLD_PREFIX,
    );
    const openedTiers = tiers;
    const hotVectors = vectors;
    const clock = deps.clock ?? (() => new Date());
    const accesses = new AccessWindow({
      publish: publishAccessEvents(nc, logger),
      onError: (error, documents) =>
        logger.error({ err: error, documents }, "document.accessed not published; its counts are dropped"),
      clock,
    });
    // Filled below from the modules, which are built from these very ports.
    const cloneSteps: CloneStep[] = [];
    const cloneCleanUps: CloneCleanUp[] = [];
    const cloneRuns = new CloneRuns();
    const ports: ModuleAdapters = {
      store: runtime.store,
      appendEvent: runtime.appendEvent,
      eventsCommitted: runtime.eventsCommitted,
      clock,
      metadataValidators: new MetadataValidators(),
      vectors: tieredVectors(vectors, openedTiers.tiers),
      tiers: openedTiers.tiers,
      recordAccess: accesses,
      moveSlots: workSlots(config.NAMESPACE_TIER_MOVE_CONCURRENCY),
      enqueueChunks: batchChunkPublisher(nc, logger),
      objects: bucketObjects(objectStore),
      maxObjectBytes: config.NAMESPACE_MAX_OBJECT_BYTES,
      cloneSteps,
      cloneCleanUps,
      cloneRuns,
      maxNamespacesPerOrganization: config.NAMESPACE_MAX_PER_ORGANIZATION,
      beforeCloneCommit: deps.beforeCloneCommit,
    };
    cloneSteps.push(...moduleCloneSteps(ports));
    cloneCleanUps.push(...moduleCloneCleanUps(ports));
    // Before any write: vectors a crash left staged are kept or dropped by the documents (ADR 0013).
    const settled = await settleStagedVectors(ports);
    if (!settled.ok) throw new Error(`Settling staged vectors failed: ${settled.error.message}`);
    if (settled.value.kept + settled.value.dropped > 0) logger.info(settled.value, "settled staged vectors");
    // Before any write or move: copies a crashed move left in a tier their pointer does not name.
    const reconciled = await reconcileMoves(ports);
    if (!reconciled.ok) throw new Error(`Reconciling tier moves failed: ${reconciled.error.message}`);
    if (reconciled.value.journals > 0) logger.info(reconciled.value, "reconciled interrupted tier moves");
    // Before any write too: documents of a store older than the label index get their rows, a page
    // per turn of the event loop (a no-op once done).
    const indexed = await backfillLabelIndex(ports);
    if (!indexed.ok) throw new Error(`Indexing document labels failed: ${indexed.error.message}`);
    if (indexed.value > 0) logger.info({ documents: indexed.value }, "indexed document labels");
    // After settling: a clone a stop interrupted fails cleanly, its staged vectors and bytes removed.
    const interrupted = await failInterruptedClones(ports);
    if (interrupted > 0) logger.warn({ clones: interrupted }, "clones interrupted by a stop failed");
    const server = await startServiceGrpcServer(deps, {
      serviceName: "namespace",
      host: config.NAMESPACE_GRPC_HOST,
      port: config.NAMESPACE_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      services: moduleServices(ports),
    });
    const { metrics } = deps;
    const observer = consumerObserverOf(metrics);
    // After a large ingest (10,000 documents or more) has been quiet for 5 s: one full collection.
    const memory = startMemorySettler({ quietMs: 5_000, minWork: 10_000 });
    const worker = await startBatchWorker({
      nc,
      ports,
      logger,
      memory,
      ...observer,
      ...(metrics === undefined ? {} : { chunks: metrics.batches }),
    });
    const purger = await startNamespacePurger({
      nc,
      steps: modulePurgeSteps(ports),
      isLive: (namespaceId) => namespaceIsLive(runtime.store, namespaceId),
      logger,
      ...observer,
    });
    const reconciler = startPeriodicReconcile(ports, logger);
    const unwatchHotIndex = metrics?.watchHotIndex(() => hotVectors.waitingForGraph());
    // A crash between a batch's commit and its enqueue left chunks that no message names.
    await ports.enqueueChunks(await unfinishedChunks(ports));
    const running = runningGrpcService({
      name: "namespace",
      server,
      runtime,
      // The consumers first: a chunk or a purge in progress finishes before the store closes.
      stop: () =>
        Promise.all([worker.stop(), purger.stop(), cloneRuns.settled(), reconciler.stop()])
          .then(() => runtime.stop(server))
          .then(() => accesses.flush())
          .then(() => hotVectors.close())
          .then(() => openedTiers.close())
          .then(() => objectStore.close()),
    });
    return {
      ...running,
      stop: () => {
        unwatchHotIndex?.();
        memory.stop();
        return running.stop();
      },
    };
  } catch (exception: unknown) {
    await vectors?.close();
    await tiers?.close();
    await objects?.close();
    await runtime.abort();
    throw exception;
  }
}
