import type { TableSpec } from "@strata/docstore";
import type { GrpcServiceRegistration } from "@strata/grpc";
import type { PurgeStep } from "./shared/purge-step.js";

/**
 * One module of the namespace service as the registry (modules.ts) sees it: the tables it owns,
 * the gRPC services it serves and what it removes when a namespace is deleted, each built from
 * its own ports (the module's ports.ts), never from a bigger bundle.
 */
export interface NamespaceModule<Ports> {
  readonly name: string;
  /** Ensured when the service starts. */
  readonly tables: readonly TableSpec[];
  readonly services: (ports: Ports) => GrpcServiceRegistration[];
  /** Absent when the module keeps nothing of its own per namespace. */
  readonly purge?: (ports: Ports) => PurgeStep;
}
