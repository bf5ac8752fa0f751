import { unaryWithCaller } from "@strata/grpc";
import { cloneV1 } from "@strata/proto";
import type { NamespaceModule } from "../../module.js";
import { waitBeforeCommit } from "./before-commit.js";
import { cancelCloneHandler } from "./handlers/cancel-clone.js";
import { cloneNamespaceHandler } from "./handlers/clone-namespace.js";
import { getCloneStatusHandler } from "./handlers/get-clone-status.js";
import type { ClonePorts } from "./ports.js";
import { CLONE_TABLE_SPECS } from "./tables.js";

export const CLONE_SERVICE_NAME = "strata.namespace.v1.CloneService";

/** Namespace clones (ADR 0024, 0028): the task records and the copy that asks every module for its step. */
export const clonesModule: NamespaceModule<ClonePorts> = {
  name: "clones",
  tables: CLONE_TABLE_SPECS,
  services: (ports) => [
    {
      name: CLONE_SERVICE_NAME,
      definition: cloneV1.CloneServiceService,
      implementation: {
        cloneNamespace: unaryWithCaller(cloneNamespaceHandler(ports)),
        getCloneStatus: unaryWithCaller(getCloneStatusHandler(ports)),
        cancelClone: unaryWithCaller(cancelCloneHandler(ports)),
      } satisfies cloneV1.CloneServiceServer,
    },
  ],
  // Last in module order: the caller's wait comes after every module copied its part.
  clone: (ports) => waitBeforeCommit(ports.beforeCloneCommit),
};
