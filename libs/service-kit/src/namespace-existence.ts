import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { type AppError, ok, type Result } from "@strata/errors";
import { clientInterceptors, createChannelOptions, type LocalServices, resultClient } from "@strata/grpc";
import { namespaceV1 } from "@strata/proto";

export interface NamespaceExistence {
  /** Whether the namespace exists, as the namespace service (its owner) says. */
  isLive(organizationId: string, namespaceId: string): Promise<Result<boolean, AppError>>;
  close(): void;
}

/**
 * Asks the namespace service over gRPC (or in-process, ADR 0010), acting as the calling service
 * itself: what a consumer of namespace.deleted checks before it purges anything (ADR 0015).
 */
export function connectNamespaceExistence(options: {
  /** The service asking, e.g. "auth": it reads as `system:<service>`. */
  readonly service: string;
  readonly address: string;
  readonly internalToken: string;
  readonly localCalls?: LocalServices | undefined;
}): NamespaceExistence {
  const client = new namespaceV1.NamespaceServiceClient(options.address, grpc.credentials.createInsecure(), {
    interceptors: clientInterceptors({
      internalToken: options.internalToken,
      target: options.address,
      localCalls: options.localCalls,
    }),
    ...createChannelOptions(),
  });
  const namespaces = resultClient(client, namespaceV1.NamespaceServiceService, {
    deadlineMs: 10_000,
    service: "namespace",
  });
  return {
    async isLive(organizationId, namespaceId) {
      const answer = await namespaces.getNamespace(
        { identifier: namespaceId },
        { caller: systemReader(options.service, organizationId) },
      );
      if (answer.ok) return ok(true);
      return answer.error.kind === "not_found" ? ok(false) : answer;
    },
    close: () => client.close(),
  };
}

/** The service itself, reading in one organization: it acts on an event, not for a key. */
function systemReader(service: string, organizationId: string): Caller {
  return {
    organizationId,
    keyId: `system:${service}`,
    permissions: ["read"],
    namespaces: [],
    roles: [],
    attributes: {},
  };
}
