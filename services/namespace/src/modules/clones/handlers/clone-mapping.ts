import { cloneV1 } from "@strata/proto";
import type { CloneStatusView } from "../clone-status.js";
import type { CloneStatus } from "../tables.js";

const STATUSES: Record<CloneStatus, cloneV1.CloneStatus> = {
  cloning: cloneV1.CloneStatus.CLONE_STATUS_CLONING,
  ready: cloneV1.CloneStatus.CLONE_STATUS_READY,
  failed: cloneV1.CloneStatus.CLONE_STATUS_FAILED,
  cancelled: cloneV1.CloneStatus.CLONE_STATUS_CANCELLED,
};

export function cloneTaskToProto(view: CloneStatusView): cloneV1.CloneTask {
  return {
    taskId: view.taskId,
    namespaceId: view.namespaceId,
    sourceNamespaceId: view.sourceNamespaceId ?? "",
    status: STATUSES[view.status],
    progress: { ...view.progress },
    reason: view.reason ?? "",
  };
}
