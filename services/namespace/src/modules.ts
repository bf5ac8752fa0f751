import type { TableSpec } from "@strata/docstore";
import type { GrpcServiceRegistration } from "@strata/grpc";
import type { NamespaceModule } from "./module.js";
import { batchesModule } from "./modules/batches/index.js";
import type { BatchPorts } from "./modules/batches/ports.js";
import { bucketsModule } from "./modules/buckets/index.js";
import type { BucketPorts } from "./modules/buckets/ports.js";
import { clonesModule } from "./modules/clones/index.js";
import type { ClonePorts } from "./modules/clones/ports.js";
import { collectionsModule } from "./modules/collections/index.js";
import type { CollectionPorts } from "./modules/collections/ports.js";
import { documentsModule } from "./modules/documents/index.js";
import type { DocumentPorts } from "./modules/documents/ports.js";
import { namespacesModule } from "./modules/namespaces/index.js";
import type { NamespacePorts } from "./modules/namespaces/ports.js";
import { searchModule } from "./modules/search/index.js";
import type { SearchPorts } from "./modules/search/ports.js";
import { taxonomiesModule } from "./modules/taxonomies/index.js";
import type { TaxonomyPorts } from "./modules/taxonomies/ports.js";
import { tiersModule } from "./modules/tiers/index.js";
import type { TierPorts } from "./modules/tiers/ports.js";
import type { CloneCleanUp, CloneStep } from "./shared/clone-step.js";
import type { PurgeStep } from "./shared/purge-step.js";

/** Every adapter the modules need, built once by start.ts; each module receives its own ports of it. */
export type ModuleAdapters = NamespacePorts &
  CollectionPorts &
  DocumentPorts &
  TaxonomyPorts &
  BucketPorts &
  BatchPorts &
  SearchPorts &
  TierPorts &
  ClonePorts;

/**
 * The modules of the namespace service, in purge order: a deleted namespace's collections (with
 * their documents) go first, then its taxonomies, buckets and batches, and last its vector spaces
 * (the search module drops them, files and all); the tiers module drops the namespace's warm and
 * cold data just before. A clone copies in the same order: collections
 * before the documents that name them.
 */
const MODULES: readonly NamespaceModule<ModuleAdapters>[] = [
  namespacesModule,
  collectionsModule,
  documentsModule,
  taxonomiesModule,
  bucketsModule,
  batchesModule,
  tiersModule,
  searchModule,
  clonesModule,
];

/** Every table of every module (ensured at start). */
export const MODULE_TABLE_SPECS: readonly TableSpec[] = MODULES.flatMap((m) => m.tables);

/** What the namespace gRPC server serves (grpc.health.v1 is added by startGrpcServer). */
export function moduleServices(adapters: ModuleAdapters): GrpcServiceRegistration[] {
  return MODULES.flatMap((m) => m.services(adapters));
}

/** What a namespace purge runs, one module's step after the other. */
export function modulePurgeSteps(adapters: ModuleAdapters): PurgeStep[] {
  return MODULES.flatMap((m) => (m.purge === undefined ? [] : [m.purge(adapters)]));
}

/** What a clone copies, one module's step after the other: one snapshot, then pages (ADR 0029). */
export function moduleCloneSteps(adapters: ModuleAdapters): CloneStep[] {
  return MODULES.flatMap((m) => (m.clone === undefined ? [] : [m.clone(adapters)]));
}

/** What removes a failed clone's writes outside the store. */
export function moduleCloneCleanUps(adapters: ModuleAdapters): CloneCleanUp[] {
  return MODULES.flatMap((m) => (m.cloneCleanUp === undefined ? [] : [m.cloneCleanUp(adapters)]));
}
