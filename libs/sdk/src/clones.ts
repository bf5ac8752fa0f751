import type { Client } from "openapi-fetch";
import { unwrap } from "./errors.js";
import type { components, paths } from "./gen/openapi.js";

type CloneStatus = components["schemas"]["CloneStatus"];

export interface CloneWait {
  /** Between two polls of clone-status; 500 ms by default. */
  readonly intervalMs?: number;
  /** Called with every status seen while the clone runs (a progress display). */
  readonly onProgress?: (status: CloneStatus) => void;
}

/**
 * Follows GET /v1/namespaces/{id}/clone-status until the clone is no longer `cloning` and answers
 * that last status: `ready`, or `failed`/`cancelled` with its reason. A clone has no deadline of
 * its own (a large one takes long), so neither has this; the caller stops waiting when it wants.
 */
export async function waitForClone(
  api: Client<paths>,
  cloneNamespaceId: string,
  wait: CloneWait = {},
): Promise<CloneStatus> {
  const pause = wait.intervalMs ?? 500;
  let status = await readCloneStatus(api, cloneNamespaceId);
  // `cancelled` is reported as soon as it is asked for; the rollback's end gives the reason.
  while (status.status === "cloning" || (status.status === "cancelled" && status.reason === null)) {
    wait.onProgress?.(status);
    await new Promise((resolve) => setTimeout(resolve, pause));
    status = await readCloneStatus(api, cloneNamespaceId);
  }
  return status;
}

function readCloneStatus(api: Client<paths>, id: string): Promise<CloneStatus> {
  return unwrap(api.GET("/v1/namespaces/{id}/clone-status", { params: { path: { id } } }));
}
