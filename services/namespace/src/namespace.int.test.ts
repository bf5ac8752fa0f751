import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import type { AppError, Result } from "@strata/errors";
import { callerMetadata, callUnary, type UnaryInvoker } from "@strata/grpc";
import { newId } from "@strata/ids";
import { namespaceV1 } from "@strata/proto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type NamespaceHarness, readEventStream, startNamespaceHarness } from "./testing/service-harness.js";

let h: NamespaceHarness;
const ORG = newId("organization");
const admin: Caller = {
  organizationId: ORG,
  keyId: newId("apiKey"),
  permissions: ["admin"],
  namespaces: [],
  roles: [],
  attributes: {},
};

function call<Req, Res>(
  method: (client: namespaceV1.NamespaceServiceClient) => UnaryInvoker<Req, Res>,
  request: Req,
  caller: Caller = admin,
): Promise<Result<Res, AppError>> {
  return callUnary(method(h.client).bind(h.client), request, { caller });
}

const create = (namespaceName: string, caller?: Caller) =>
  call((c) => c.createNamespace, { namespaceName, description: `${namespaceName} data` }, caller);

beforeAll(async () => {
  h = await startNamespaceHarness();
});

afterAll(async () => {
  await h?.close();
});

describe("namespace service over gRPC", () => {
  it("creates, gets by id and name, lists, renames and deletes", async () => {
    const created = await create("production");
    if (!created.ok || created.value.namespace === undefined) throw new Error("create failed");
    const ns = created.value.namespace;
    expect(ns).toMatchObject({
      organizationId: ORG,
      namespaceName: "production",
      description: "production data",
    });
    expect(ns.namespaceId).toMatch(/^ns_/);
    expect(ns.createdAt).toBeInstanceOf(Date);

    const byId = await call((c) => c.getNamespace, { identifier: ns.namespaceId });
    const byName = await call((c) => c.getNamespace, { identifier: "production" });
    expect(
      byId.ok && byName.ok && byId.value.namespace?.namespaceId === byName.value.namespace?.namespaceId,
    ).toBe(true);

    const listed = await call((c) => c.listNamespaces, { limit: 0, cursor: "" });
    expect(listed.ok ? listed.value.namespaces.map((n) => n.namespaceName) : []).toContain("production");
    expect(listed.ok ? listed.value.nextCursor : "x").toBe("");

    const renamed = await call((c) => c.updateNamespace, {
      identifier: ns.namespaceId,
      namespaceName: "prod",
    });
    expect(renamed.ok ? renamed.value.namespace?.namespaceName : undefined).toBe("prod");
    expect(renamed.ok ? renamed.value.namespace?.description : undefined).toBe("production data");

    const deleted = await call((c) => c.deleteNamespace, { identifier: "prod" });
    expect(deleted.ok ? deleted.value.namespace?.namespaceId : undefined).toBe(ns.namespaceId);
    const gone = await call((c) => c.getNamespace, { identifier: ns.namespaceId });
    expect(gone.ok ? undefined : gone.error.kind).toBe("not_found");
  });

  it("answers errors as AppErrors with the right kinds", async () => {
    await create("taken");
    const duplicate = await create("taken");
    expect(duplicate.ok ? undefined : duplicate.error).toMatchObject({
      kind: "already_exists",
      details: { namespace_name: "taken" },
    });
    const invalid = await create("ns_looks_like_an_id");
    expect(invalid.ok ? undefined : invalid.error.kind).toBe("validation");
    const reader: Caller = { ...admin, permissions: ["read"] };
    const forbidden = await create("other", reader);
    expect(forbidden.ok ? undefined : forbidden.error.kind).toBe("forbidden");
    const stranger: Caller = { ...admin, organizationId: newId("organization") };
    const hidden = await call((c) => c.getNamespace, { identifier: "taken" }, stranger);
    expect(hidden.ok ? undefined : hidden.error.kind).toBe("not_found");
    const badCursor = await call((c) => c.listNamespaces, { limit: 5, cursor: "garbage" });
    expect(badCursor.ok ? undefined : badCursor.error.kind).toBe("bad_request");
  });

  it("shows a namespace-restricted caller only its namespaces", async () => {
    const a = await create("scope-a");
    const b = await create("scope-b");
    if (!a.ok || !b.ok || a.value.namespace === undefined) throw new Error("create failed");
    const restricted: Caller = {
      ...admin,
      permissions: ["read"],
      namespaces: [a.value.namespace.namespaceId],
    };
    const listed = await call((c) => c.listNamespaces, { limit: 100, cursor: "" }, restricted);
    expect(listed.ok ? listed.value.namespaces.map((n) => n.namespaceName) : []).toEqual(["scope-a"]);
    const other = await call((c) => c.getNamespace, { identifier: "scope-b" }, restricted);
    expect(other.ok ? undefined : other.error.kind).toBe("not_found");
  });

  it("refuses calls without the internal token, with a wrong one, and without a caller", async () => {
    const status = (client: namespaceV1.NamespaceServiceClient, metadata: grpc.Metadata) =>
      new Promise<grpc.status | undefined>((resolve) => {
        client.listNamespaces({ limit: 1, cursor: "" }, metadata, (error) => resolve(error?.code));
      });
    const bare = new namespaceV1.NamespaceServiceClient(
      h.service.grpcAddress,
      grpc.credentials.createInsecure(),
    );
    expect(await status(bare, callerMetadata(admin))).toBe(grpc.status.UNAUTHENTICATED);
    const wrong = callerMetadata(admin);
    wrong.set("x-strata-internal-token", "wrong-token-wrong-token-wrong-token");
    expect(await status(bare, wrong)).toBe(grpc.status.UNAUTHENTICATED);
    bare.close();
    expect(await status(h.client, callerMetadata())).toBe(grpc.status.UNAUTHENTICATED);
  });

  it("publishes exactly one event per change on STRATA_EVENTS", async () => {
    const created = await create("evented");
    if (!created.ok || created.value.namespace === undefined) throw new Error("create failed");
    const id = created.value.namespace.namespaceId;
    await call((c) => c.updateNamespace, { identifier: id, description: "changed" });
    await call((c) => c.updateNamespace, { identifier: id, description: "changed" });
    await call((c) => c.updateNamespace, { identifier: id, namespaceName: "evented-2" });
    await call((c) => c.deleteNamespace, { identifier: id });
    await call((c) => c.deleteNamespace, { identifier: id });

    const about = async () => (await readEventStream(h.nc)).filter((e) => e.namespaceid === id);
    await vi.waitFor(async () => expect(await about()).toHaveLength(4), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = await about();
    expect(events.map((e) => e.type)).toEqual([
      "namespace.created",
      "namespace.updated",
      "namespace.updated",
      "namespace.deleted",
    ]);
    expect(events[2]?.data).toMatchObject({
      namespace_name: "evented-2",
      previous_namespace_name: "evented",
    });
    const all = await readEventStream(h.nc);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.every((e) => e.source === "/strata/namespace" && e.organizationid === ORG)).toBe(true);
  });
});
