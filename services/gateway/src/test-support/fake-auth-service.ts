// Test support: a small in-memory AuthService (our own port, served over real gRPC in tests).

import type { Caller, Permission } from "@strata/access";
import { type AppError, appError, err, notFound, ok, type Result } from "@strata/errors";
import { unary, unaryWithCaller } from "@strata/grpc";
import { apiKeyDisplayStart, generateApiKeySecret, newId } from "@strata/ids";
import { authV1, permissionToProto } from "@strata/proto";

export interface FakeKeyOptions {
  readonly organizationId: string;
  readonly permissions: readonly Permission[];
  readonly namespaces?: readonly string[];
  readonly expiresAt?: Date;
  readonly name?: string;
}

/** State the tests look at and change directly (the fake's "database"). */
export class FakeAuthState {
  readonly keys = new Map<string, { secret: string; key: authV1.ApiKey }>();
  verifyCalls = 0;
  /** Calls by method name, for "one gRPC hop" assertions. */
  readonly calls = new Map<string, number>();
  /** When set, every call waits this long (to hold a request in flight). */
  delayMs = 0;

  addKey(options: FakeKeyOptions): { secret: string; key: authV1.ApiKey } {
    const secret = generateApiKeySecret();
    const key: authV1.ApiKey = {
      keyId: newId("apiKey"),
      organizationId: options.organizationId,
      name: options.name ?? "test key",
      start: apiKeyDisplayStart(secret),
      permissions: options.permissions.map(permissionToProto),
      namespaces: [...(options.namespaces ?? [])],
      expiresAt: options.expiresAt,
      principalId: undefined,
      roles: [],
      attributes: {},
      status: authV1.KeyStatus.KEY_STATUS_ACTIVE,
      createdAt: new Date(),
      revokedAt: undefined,
      rotatedTo: undefined,
    };
    const entry = { secret, key };
    this.keys.set(key.keyId, entry);
    return entry;
  }

  revoke(keyId: string): authV1.ApiKey | undefined {
    const entry = this.keys.get(keyId);
    if (entry === undefined) return undefined;
    entry.key = { ...entry.key, status: authV1.KeyStatus.KEY_STATUS_REVOKED, revokedAt: new Date() };
    return entry.key;
  }

  count(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  async #enter(method: string): Promise<void> {
    this.calls.set(method, this.count(method) + 1);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }

  #ownKey(caller: Caller, keyId: string): Result<{ secret: string; key: authV1.ApiKey }, AppError> {
    const entry = this.keys.get(keyId);
    if (entry === undefined || entry.key.organizationId !== caller.organizationId)
      return err(notFound("api_key", keyId));
    return ok(entry);
  }

  implementation(): authV1.AuthServiceServer {
    return {
      createOrganization: unary(async () => err(appError("forbidden", "not in this fake"))),
      createPrincipal: unary(async () => err(appError("forbidden", "not in this fake"))),
      getPrincipal: unary(async () => err(appError("forbidden", "not in this fake"))),
      listPrincipals: unary(async () => err(appError("forbidden", "not in this fake"))),
      updatePrincipal: unary(async () => err(appError("forbidden", "not in this fake"))),
      deletePrincipal: unary(async () => err(appError("forbidden", "not in this fake"))),
      resolvePrincipal: unary(async () => ok({ found: false })),
      verifyKey: unary(async (request: authV1.VerifyKeyRequest) => {
        await this.#enter("verifyKey");
        this.verifyCalls += 1;
        for (const { secret, key } of this.keys.values()) {
          if (secret !== request.secret) continue;
          const expired = key.expiresAt !== undefined && key.expiresAt.getTime() <= Date.now();
          if (key.status !== authV1.KeyStatus.KEY_STATUS_ACTIVE || expired) return ok({ valid: false });
          return ok({ valid: true, key });
        }
        return ok({ valid: false });
      }),
      createKey: unaryWithCaller(async (request: authV1.CreateKeyRequest, { caller }) => {
        await this.#enter("createKey");
        const created = this.addKey({
          organizationId: caller.organizationId,
          permissions: [],
          namespaces: request.namespaces,
          ...(request.expiresAt === undefined ? {} : { expiresAt: request.expiresAt }),
          name: request.name,
        });
        created.key = {
          ...created.key,
          permissions: [...request.permissions],
          principalId: request.principalId,
          roles: [...request.roles],
          attributes: request.attributes ?? {},
        };
        return ok({ key: created.key, secret: created.secret });
      }),
      listKeys: unaryWithCaller(async (request: authV1.ListKeysRequest, { caller }) => {
        await this.#enter("listKeys");
        const all = [...this.keys.values()]
          .map((e) => e.key)
          .filter((k) => k.organizationId === caller.organizationId);
        const start = request.cursor === "" ? 0 : Number(request.cursor);
        if (!Number.isInteger(start) || start < 0) {
          return err(appError("bad_request", "Invalid cursor", { cursor: request.cursor }));
        }
        const page = all.slice(start, start + request.limit);
        const next = start + request.limit < all.length ? String(start + request.limit) : "";
        return ok({ keys: page, nextCursor: next });
      }),
      getKey: unaryWithCaller(async (request: authV1.GetKeyRequest, { caller }) => {
        await this.#enter("getKey");
        const entry = this.#ownKey(caller, request.keyId);
        return entry.ok ? ok({ key: entry.value.key }) : entry;
      }),
      revokeKey: unaryWithCaller(async (request: authV1.RevokeKeyRequest, { caller }) => {
        await this.#enter("revokeKey");
        const entry = this.#ownKey(caller, request.keyId);
        if (!entry.ok) return entry;
        return ok({ key: this.revoke(request.keyId) });
      }),
      rotateKey: unaryWithCaller(async (request: authV1.RotateKeyRequest, { caller }) => {
        await this.#enter("rotateKey");
        const entry = this.#ownKey(caller, request.keyId);
        if (!entry.ok) return entry;
        const old = entry.value.key;
        const fresh = this.addKey({ organizationId: old.organizationId, permissions: [], name: old.name });
        fresh.key = { ...fresh.key, permissions: [...old.permissions], namespaces: [...old.namespaces] };
        entry.value.key =
          request.overlapSeconds === 0
            ? {
                ...old,
                status: authV1.KeyStatus.KEY_STATUS_REVOKED,
                revokedAt: new Date(),
                rotatedTo: fresh.key.keyId,
              }
            : {
                ...old,
                expiresAt: new Date(Date.now() + request.overlapSeconds * 1000),
                rotatedTo: fresh.key.keyId,
              };
        return ok({ key: fresh.key, secret: fresh.secret, previous: entry.value.key });
      }),
    };
  }
}

export const authServiceRegistration = (state: FakeAuthState) => ({
  name: "strata.auth.v1.AuthService",
  definition: authV1.AuthServiceService,
  implementation: state.implementation(),
});
