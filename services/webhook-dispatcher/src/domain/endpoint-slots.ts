import type { EndpointSlots } from "./run-attempt.js";

/**
 * At most `limit` requests open per endpoint at once in this replica (a slot is freed when the
 * answer is in, before the outcome is written: ADR 0044). An attempt beyond it waits for a
 * slot, but no more than `limit` attempts wait per endpoint: past that, `take` answers false and
 * the attempt is put back in the store for later, so one slow endpoint can hold at most 2 × limit
 * of the worker's handlers and never all of them.
 */
export function createEndpointSlots(limit: number): EndpointSlots {
  const running = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();
  return {
    async take(webhookId) {
      const count = running.get(webhookId) ?? 0;
      if (count < limit) {
        running.set(webhookId, count + 1);
        return true;
      }
      const line = waiting.get(webhookId) ?? [];
      if (line.length >= limit) return false;
      waiting.set(webhookId, line);
      // release() hands its slot straight to the first in line.
      await new Promise<void>((resolve) => line.push(resolve));
      return true;
    },
    release(webhookId) {
      const next = waiting.get(webhookId)?.shift();
      if (next !== undefined) {
        next();
        return;
      }
      if (waiting.get(webhookId)?.length === 0) waiting.delete(webhookId);
      const count = (running.get(webhookId) ?? 1) - 1;
      if (count <= 0) running.delete(webhookId);
      else running.set(webhookId, count);
    },
  };
}
