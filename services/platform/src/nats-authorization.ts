import { SERVICE_NAMES, type ServiceName } from "./config.js";

/** What one service may publish and subscribe to on NATS. */
export interface NatsPermissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
}

// Every service: the JetStream API (streams, consumers, KV buckets, pull requests), acks of its
// consumers' messages, replies (all JetStream calls are requests answered on an inbox) and dead
// letters of its durable consumers. Nothing else: above all not another service's events.
const COMMON_PUBLISH = ["$JS.API.>", "$JS.ACK.>", "$JS.FC.>", "_INBOX.>", "strata.dlq.>"];
const COMMON_SUBSCRIBE = ["_INBOX.>"];

/** Events are published on `strata.evt.<scope>.<type>`; a service publishes only the types it owns. */
const events = (...entities: string[]): string[] => entities.map((entity) => `strata.evt.*.${entity}.*`);

/**
 * Each service's permissions, used for the embedded nats-server and written out for the
 * distributed mode (docker-compose's and deploy/'s NATS config; test/deploy checks they match).
 * A forged `namespace.deleted` needs the namespace service's own credentials.
 */
export const NATS_PERMISSIONS: Readonly<Record<ServiceName, NatsPermissions>> = {
  auth: { publish: [...COMMON_PUBLISH, ...events("api_key", "principal")], subscribe: COMMON_SUBSCRIBE },
  namespace: {
    // The batch work queue (STRATA_WORK_BATCHES) is the namespace service's own.
    publish: [...COMMON_PUBLISH, ...events("namespace", "document", "batch", "tier"), "strata.work.batch.>"],
    subscribe: COMMON_SUBSCRIBE,
  },
  "acl-query": { publish: [...COMMON_PUBLISH, ...events("alert", "acl_rule")], subscribe: COMMON_SUBSCRIBE },
  // Due attempts go on its own work queue (STRATA_WORK_WEBHOOKS).
  "webhook-dispatcher": {
    publish: [...COMMON_PUBLISH, ...events("webhook"), "strata.work.webhook.>"],
    subscribe: COMMON_SUBSCRIBE,
  },
  // tier-migrator publishes no events (tier.migrated is the namespace service's, which moves).
  "tier-migrator": { publish: COMMON_PUBLISH, subscribe: COMMON_SUBSCRIBE },
  // Its manifest.applied events only.
  manifest: { publish: [...COMMON_PUBLISH, ...events("manifest")], subscribe: COMMON_SUBSCRIBE },
  // The gateway publishes no events; it writes Idempotency-Key answers to its KV bucket.
  gateway: { publish: [...COMMON_PUBLISH, "$KV.strata_idempotency.>"], subscribe: COMMON_SUBSCRIBE },
};

/** The NATS user of a service: `strata-<service>`. */
export function natsUserOf(service: ServiceName): string {
  return `strata-${service}`;
}

/**
 * The distributed mode's variable holding a service's NATS password, the same name in the NATS
 * servers' environment (the config reads it) and in the service's (`NATS_PASSWORD`):
 * `STRATA_NATS_ACL_QUERY_PASSWORD`.
 */
export function natsPasswordVariableOf(service: ServiceName): string {
  return `STRATA_NATS_${service.toUpperCase().replace(/-/g, "_")}_PASSWORD`;
}

/** The authorization block of the distributed mode: passwords from the NATS servers' environment. */
export function distributedNatsAuthorization(): string {
  return natsAuthorizationBlock(SERVICE_NAMES, (service) => `$${natsPasswordVariableOf(service)}`);
}

const list = (subjects: readonly string[]): string =>
  `[${subjects.map((s) => JSON.stringify(s)).join(", ")}]`;

/**
 * The nats-server `authorization` block: one user per service with its permissions, and no
 * anonymous access (no `no_auth_user`). `password` gives each user's password as it goes in the
 * file: a quoted literal, or a `$VARIABLE` the server reads from its environment.
 */
export function natsAuthorizationBlock(
  services: readonly ServiceName[],
  password: (service: ServiceName) => string,
): string {
  const users = services.map((service) => {
    const { publish, subscribe } = NATS_PERMISSIONS[service];
    return [
      "    {",
      `      user: ${JSON.stringify(natsUserOf(service))}`,
      `      password: ${password(service)}`,
      "      permissions: {",
      `        publish: { allow: ${list(publish)} }`,
      `        subscribe: { allow: ${list(subscribe)} }`,
      "      }",
      "    }",
    ].join("\n");
  });
  return ["authorization {", "  users = [", ...users, "  ]", "}", ""].join("\n");
}
