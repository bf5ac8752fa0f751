import type { Client } from "openapi-fetch";
import { unwrap } from "./errors.js";
import type { components, paths } from "./gen/openapi.js";

export interface BatchWait {
  /** Between two polls; 250 ms by default. */
  readonly intervalMs?: number;
  /** Give up (BatchWaitTimeout) after this long; 5 minutes by default. */
  readonly timeoutMs?: number;
}

export class BatchWaitTimeout extends Error {
  override readonly name = "BatchWaitTimeout";
  constructor(
    readonly batch: components["schemas"]["Batch"],
    timeoutMs: number,
  ) {
    super(`batch ${batch.batch_id} is still ${batch.status} after ${timeoutMs} ms`);
  }
}

const FINISHED = new Set(["completed", "failed"]);

/** Polls the batch until it is completed or failed, and answers it (counters and item errors). */
export async function waitForBatch(
  api: Client<paths>,
  batchId: string,
  options: BatchWait = {},
): Promise<components["schemas"]["Batch"]> {
  const intervalMs = options.intervalMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const batch = await unwrap(api.GET("/v1/batches/{id}", { params: { path: { id: batchId } } }));
    if (FINISHED.has(batch.status)) return batch;
    if (Date.now() >= giveUpAt) throw new BatchWaitTimeout(batch, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
