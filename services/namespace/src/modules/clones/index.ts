import type { NamespaceModule } from "../../module.js";
import type { ClonePorts } from "./ports.js";
import { CLONE_TABLE_SPECS } from "./tables.js";

/**
 * Namespace clones (ADR 0024): the task records and the copy that asks every module for its step.
 * Its gRPC service is not served yet (the gateway routes are to come).
 */
export const clonesModule: NamespaceModule<ClonePorts> = {
  name: "clones",
  tables: CLONE_TABLE_SPECS,
  services: () => [],
};
