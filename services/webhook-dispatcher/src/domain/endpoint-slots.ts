import type { EndpointSlots } from "./run-attempt.js";

/** At most `limit` attempts per endpoint at once in this replica. */
export function createEndpointSlots(limit: number): EndpointSlots {
  const inFlight = new Map<string, number>();
  return {
    tryTake(webhookId) {
      const count = inFlight.get(webhookId) ?? 0;
      if (count >= limit) return false;
      inFlight.set(webhookId, count + 1);
      return true;
    },
    release(webhookId) {
      const count = (inFlight.get(webhookId) ?? 1) - 1;
      if (count <= 0) inFlight.delete(webhookId);
      else inFlight.set(webhookId, count);
    },
  };
}
