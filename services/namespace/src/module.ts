import type { TableSpec } from "@strata/docstore";
import type { GrpcServiceRegistration } from "@strata/grpc";
import type { CloneCleanUp, CloneStep } from "./shared/clone-step.js";
import type { PurgeStep } from "./shared/purge-step.js";

/**
 * One module of the namespace service as the registry (modules.ts) sees it: the tables it owns,
 * the gRPC services it serves, what it removes when a namespace is deleted and what it copies when
 * one is cloned, each built from its own ports (the module's ports.ts), never from a bigger bundle.
 */
export interface NamespaceModule<Ports> {
  readonly name: string;
  /** Ensured when the service starts. */
  readonly tables: readonly TableSpec[];
  readonly services: (ports: Ports) => GrpcServiceRegistration[];
  /** Absent when the module keeps nothing of its own per namespace. */
  readonly purge?: (ports: Ports) => PurgeStep;
  /**
   * Absent when the module keeps nothing a clone carries over (batches are work in flight). The
   * tiers module's step copies every tier's vectors (ADR 0029).
   */
  readonly clone?: (ports: Ports) => CloneStep;
  /** What removes the module's writes outside the store of a clone that failed. */
  readonly cloneCleanUp?: (ports: Ports) => CloneCleanUp;
}
