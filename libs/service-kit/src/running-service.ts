/** The shape every service's start function returns; the embedded launcher and tests use it. */
export interface RunningService {
  readonly name: string;
  readonly grpcAddress?: string;
  readonly httpUrl?: string;
  /** True while the service can take work (store reachable, NATS connected, server up). */
  ready(): Promise<boolean>;
  /** Each dependency's state (`nats`, `store`, a backing service …), for /readyz; optional. */
  readiness?(): Promise<Record<string, boolean>>;
  /** Stops taking calls, finishes those in flight, publishes pending events, closes the store. */
  stop(): Promise<void>;
}
