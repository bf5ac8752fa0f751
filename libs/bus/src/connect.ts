import { connect, type NatsConnection } from "nats";

export interface ConnectNatsOptions {
  /** One URL or a comma-separated list (`nats://a:4222,nats://b:4222`). */
  readonly servers: string;
  /** Shown by the server's monitoring (`connz`): the service name and instance. */
  readonly name: string;
}

/**
 * Connects with settings for a long-lived service: reconnect forever (a NATS outage must not kill
 * the service; publishes and consumers resume afterwards), and ping often enough that a dead server
 * is noticed in seconds rather than the default two minutes.
 */
export function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  return connect({
    servers: options.servers
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 250,
    pingInterval: 10_000,
    maxPingOut: 3,
    waitOnFirstConnect: false,
  });
}
