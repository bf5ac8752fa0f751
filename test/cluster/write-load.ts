/**
 * A steady stream of document creates through one gateway: one request every `intervalMs` whatever
 * the answers do (a stalled gateway does not slow the sender down), each with its own deadline.
 * Records what the gateway accepted (201 and the new id) and how the others failed.
 */
export interface WriteLoad {
  /** Ids the gateway answered 201 for, in order. */
  readonly accepted: string[];
  /** Answers other than 201 by status, and requests that got no answer (status 0). */
  readonly refused: Map<number, number>;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

export interface WriteLoadOptions {
  readonly url: string;
  readonly key: string;
  readonly namespace: string;
  readonly collection: string;
  readonly featureUri: string;
  readonly intervalMs: number;
  /** Marks this load's documents (in their metadata) apart from another's. */
  readonly label: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

export function startWriteLoad(options: WriteLoadOptions): WriteLoad {
  const accepted: string[] = [];
  const refused = new Map<number, number>();
  const inFlight = new Set<Promise<void>>();
  let sequence = 0;
  const send = async (): Promise<void> => {
    const seq = sequence++;
    let status = 0;
    try {
      const response = await fetch(`${options.url}/v1/collections/${options.collection}/documents`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${options.key}`,
          "x-namespace": options.namespace,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          metadata: { load: options.label, seq },
          features: { [options.featureUri]: [Math.random(), Math.random(), Math.random()] },
        }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = response.status;
      const body = (await response.json()) as { document_id?: unknown };
      if (status === 201 && typeof body.document_id === "string") {
        accepted.push(body.document_id);
        return;
      }
    } catch {
      // No answer (connection refused while the gateway is down, or the deadline): status 0.
    }
    refused.set(status, (refused.get(status) ?? 0) + 1);
  };
  const timer = setInterval(() => {
    const request = send();
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }, options.intervalMs);
  return {
    accepted,
    refused,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
