import { subjectFilterFor } from "@strata/events";
import type { NatsConnection } from "nats";
import { callApi } from "../e2e/harness.js";

/** What one gateway did with a key after it was revoked, in ms since the revocation was answered. */
export interface GatewayAfterRevocation {
  readonly gateway: string;
  /** When the last request this gateway still accepted (200) was sent; absent when none was. */
  readonly lastAcceptedSentAt?: number;
  /** When the first refusal (401) arrived; absent when none did within the watch. */
  readonly firstRefusedAt?: number;
  readonly probes: number;
}

export interface RevocationOutcome {
  readonly gateways: readonly GatewayAfterRevocation[];
  /** When api_key.revoked reached the bus (a plain subscription); absent when it never did. */
  readonly eventAt?: number;
}

const WATCH_MS = 30_000;

/**
 * Revokes `apiKey` through `revokeUrl` and asks every gateway with it, one request after another,
 * until each refuses it (or WATCH_MS pass). "Refused within 1 s" is then a question of when each
 * gateway last *accepted* a request sent after the revocation, not of how long its answers took on
 * a busy machine; the outcome also says when the event reached the bus, so a miss shows whether
 * the event was late or a gateway did not act on it.
 */
export async function watchRevocation(options: {
  readonly nc: NatsConnection;
  readonly gatewayUrls: readonly string[];
  readonly revokeUrl: string;
  readonly adminKey: string;
  readonly keyId: string;
  readonly apiKey: string;
}): Promise<RevocationOutcome> {
  let eventSeenAt: number | undefined;
  const subscription = options.nc.subscribe(subjectFilterFor("api_key.revoked"), {
    callback: () => {
      eventSeenAt ??= performance.now();
    },
  });
  try {
    await options.nc.flush();
    const revoked = await callApi(options.revokeUrl, "DELETE", `/v1/api-keys/${options.keyId}`, {
      key: options.adminKey,
    });
    if (revoked.status !== 200) throw new Error(`revoking the key answered ${revoked.status}`);
    const revokedAt = performance.now();
    const gateways = await Promise.all(
      options.gatewayUrls.map((url) => watchGateway(url, options.apiKey, revokedAt)),
    );
    return {
      gateways,
      ...(eventSeenAt === undefined ? {} : { eventAt: Math.round(eventSeenAt - revokedAt) }),
    };
  } finally {
    subscription.unsubscribe();
  }
}

async function watchGateway(url: string, apiKey: string, revokedAt: number): Promise<GatewayAfterRevocation> {
  let lastAcceptedSentAt: number | undefined;
  let probes = 0;
  while (performance.now() - revokedAt < WATCH_MS) {
    const sentAt = performance.now() - revokedAt;
    const answer = await callApi(url, "GET", "/v1/whoami", { key: apiKey, namespace: "cluster" });
    probes++;
    if (answer.status === 401) {
      const firstRefusedAt = Math.round(performance.now() - revokedAt);
      return {
        gateway: url,
        ...(lastAcceptedSentAt === undefined ? {} : { lastAcceptedSentAt: Math.round(lastAcceptedSentAt) }),
        firstRefusedAt,
        probes,
      };
    }
    if (answer.status === 200) lastAcceptedSentAt = sentAt;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    gateway: url,
    ...(lastAcceptedSentAt === undefined ? {} : { lastAcceptedSentAt: Math.round(lastAcceptedSentAt) }),
    probes,
  };
}
