import { readFile, stat } from "node:fs/promises";
import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import type { AppError, Result } from "@strata/errors";
import { callerMetadata, callUnary, type UnaryInvoker } from "@strata/grpc";
import { newId } from "@strata/ids";
import { authV1 } from "@strata/proto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type AuthHarness,
  callerFromKey,
  readEventStream,
  startAuthHarness,
} from "./testing/service-harness.js";

let h: AuthHarness;
let admin: Caller;
let bootstrapSecret: string;

function call<Req, Res>(
  method: (client: authV1.AuthServiceClient) => UnaryInvoker<Req, Res>,
  request: Req,
  caller?: Caller,
): Promise<Result<Res, AppError>> {
  return callUnary(method(h.client).bind(h.client), request, caller === undefined ? {} : { caller });
}

const verify = (secret: string) => call((c) => c.verifyKey, { secret });
const { PERMISSION_READ, PERMISSION_WRITE, PERMISSION_ADMIN } = authV1.Permission;
const newKey = (overrides: Partial<authV1.CreateKeyRequest> = {}): authV1.CreateKeyRequest => ({
  name: "ci",
  permissions: [PERMISSION_READ],
  namespaces: [],
  roles: [],
  ...overrides,
});

beforeAll(async () => {
  h = await startAuthHarness();
  const file = `${h.dir.path}/bootstrap.json`;
  const content = JSON.parse(await readFile(file, "utf8")) as { organization_id: string; api_key: string };
  bootstrapSecret = content.api_key;
  const verified = await verify(bootstrapSecret);
  if (!verified.ok || verified.value.key === undefined) throw new Error("bootstrap key does not verify");
  admin = callerFromKey(verified.value.key);
});

afterAll(async () => {
  await h?.close();
});

describe("auth service over gRPC", () => {
  it("bootstraps the first organization with a 0600 file holding a working admin key", async () => {
    const file = `${h.dir.path}/bootstrap.json`;
    expect(h.service.bootstrap).toEqual({ organizationId: admin.organizationId, file });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(admin.permissions).toEqual(["admin"]);
    expect(admin.namespaces).toEqual([]);
  });

  it("creates, lists, gets, rotates and revokes keys", async () => {
    const ns = newId("namespace");
    const expiresAt = new Date(Date.now() + 86_400_000);
    const created = await call(
      (c) => c.createKey,
      newKey({
        name: "ingest",
        permissions: [PERMISSION_WRITE],
        namespaces: [ns],
        expiresAt,
        principalId: "u1",
        roles: ["r"],
        attributes: { team: "a" },
      }),
      admin,
    );
    if (!created.ok || created.value.key === undefined) throw new Error("create failed");
    const { key, secret } = created.value;
    expect(key).toMatchObject({
      organizationId: admin.organizationId,
      name: "ingest",
      start: secret.slice(0, 12),
      permissions: [PERMISSION_WRITE],
      namespaces: [ns],
      expiresAt,
      principalId: "u1",
      roles: ["r"],
      attributes: { team: "a" },
      status: authV1.KeyStatus.KEY_STATUS_ACTIVE,
    });
    const verified = await verify(secret);
    expect(verified.ok && verified.value.valid && verified.value.key?.keyId).toBe(key.keyId);

    const listed = await call((c) => c.listKeys, { limit: 0, cursor: "" }, admin);
    expect(listed.ok ? listed.value.keys.map((k) => k.keyId) : []).toContain(key.keyId);
    const got = await call((c) => c.getKey, { keyId: key.keyId }, admin);
    expect(got.ok ? got.value.key?.name : undefined).toBe("ingest");

    const rotated = await call((c) => c.rotateKey, { keyId: key.keyId, overlapSeconds: 60 }, admin);
    if (!rotated.ok || rotated.value.key === undefined) throw new Error("rotate failed");
    expect(rotated.value.previous).toMatchObject({ keyId: key.keyId, rotatedTo: rotated.value.key.keyId });
    expect((await verify(secret)).ok && (await verify(rotated.value.secret)).ok).toBe(true);
    expect(await verify(secret)).toMatchObject({ ok: true, value: { valid: true } });

    const revoked = await call((c) => c.revokeKey, { keyId: key.keyId }, admin);
    expect(revoked.ok ? revoked.value.key?.status : undefined).toBe(authV1.KeyStatus.KEY_STATUS_REVOKED);
    const again = await call((c) => c.revokeKey, { keyId: key.keyId }, admin);
    expect(again.ok).toBe(true);
    expect(await verify(secret)).toEqual({ ok: true, value: { valid: false } });
    expect(await verify(rotated.value.secret)).toMatchObject({ ok: true, value: { valid: true } });
  });

  it("answers errors as AppErrors with the right kinds", async () => {
    const missing = await call((c) => c.getKey, { keyId: newId("apiKey") }, admin);
    expect(missing.ok ? undefined : missing.error.kind).toBe("not_found");
    const invalid = await call((c) => c.createKey, newKey({ name: "", namespaces: ["prod"] }), admin);
    expect(invalid.ok ? undefined : invalid.error).toMatchObject({
      kind: "validation",
      details: { validation_errors: [{ location: "body.name" }, { location: "body.namespaces[0]" }] },
    });
    const reader = { ...admin, permissions: ["read" as const] };
    const forbidden = await call((c) => c.createKey, newKey(), reader);
    expect(forbidden.ok ? undefined : forbidden.error.kind).toBe("forbidden");
    const restricted = { ...admin, namespaces: [newId("namespace")] };
    const escalation = await call(
      (c) => c.createKey,
      newKey({ permissions: [PERMISSION_ADMIN] }),
      restricted,
    );
    expect(escalation.ok ? undefined : escalation.error.kind).toBe("forbidden");
    const badCursor = await call((c) => c.listKeys, { limit: 10, cursor: "nope" }, admin);
    expect(badCursor.ok ? undefined : badCursor.error.kind).toBe("bad_request");
    const otherOrg = await call((c) => c.createOrganization, { name: "Other" });
    if (!otherOrg.ok || otherOrg.value.key === undefined) throw new Error("org not created");
    const foreign = await call((c) => c.getKey, { keyId: otherOrg.value.key.keyId }, admin);
    expect(foreign.ok ? undefined : foreign.error.kind).toBe("not_found");
  });

  it("refuses calls without the internal token, with a wrong one, and caller calls without a caller", async () => {
    const unauthenticated = (client: authV1.AuthServiceClient, metadata: grpc.Metadata) =>
      new Promise<grpc.status | undefined>((resolve) => {
        client.verifyKey({ secret: bootstrapSecret }, metadata, (error) => resolve(error?.code));
      });
    const bare = new authV1.AuthServiceClient(h.service.grpcAddress, grpc.credentials.createInsecure());
    expect(await unauthenticated(bare, new grpc.Metadata())).toBe(grpc.status.UNAUTHENTICATED);
    const wrong = new grpc.Metadata();
    wrong.set("x-strata-internal-token", "wrong-token-wrong-token-wrong-token");
    expect(await unauthenticated(bare, wrong)).toBe(grpc.status.UNAUTHENTICATED);
    bare.close();

    const noCaller = await new Promise<grpc.status | undefined>((resolve) => {
      h.client.listKeys({ limit: 1, cursor: "" }, callerMetadata(), (error) => resolve(error?.code));
    });
    expect(noCaller).toBe(grpc.status.UNAUTHENTICATED);
  });

  it("publishes exactly one event per change on STRATA_EVENTS", async () => {
    const created = await call((c) => c.createKey, newKey({ name: "events" }), admin);
    if (!created.ok || created.value.key === undefined) throw new Error("create failed");
    const id = created.value.key.keyId;
    const rotated = await call((c) => c.rotateKey, { keyId: id, overlapSeconds: 0 }, admin);
    if (!rotated.ok || rotated.value.key === undefined) throw new Error("rotate failed");
    const replacement = rotated.value.key.keyId;
    await call((c) => c.revokeKey, { keyId: replacement }, admin);
    await call((c) => c.revokeKey, { keyId: replacement }, admin);

    const about = async (keyId: string) =>
      (await readEventStream(h.nc)).filter((e) => e.subject === keyId).map((e) => e.type);
    await vi.waitFor(async () => expect(await about(replacement)).toHaveLength(2), { timeout: 10_000 });
    // Give a duplicate the chance to show up before asserting there is none.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await about(id)).toEqual(["api_key.created", "api_key.revoked"]);
    expect(await about(replacement)).toEqual(["api_key.created", "api_key.revoked"]);
    const all = await readEventStream(h.nc);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    const bootstrapKey = all.filter((e) => e.subject === admin.keyId);
    expect(bootstrapKey.map((e) => e.type)).toEqual(["api_key.created"]);
    expect(all.every((e) => e.source === "/strata/auth")).toBe(true);
  });

  it("does not bootstrap again on a restart with existing data", async () => {
    const file = `${h.dir.path}/bootstrap.json`;
    const before = await readFile(file, "utf8");
    await h.restart();
    expect(h.service.bootstrap).toBeUndefined();
    expect(await readFile(file, "utf8")).toBe(before);
    expect(await verify(bootstrapSecret)).toMatchObject({ ok: true, value: { valid: true } });
    expect(await h.service.ready()).toBe(true);
  });
});
