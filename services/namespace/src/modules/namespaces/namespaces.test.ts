import { newId } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { callerOf, testNamespaces } from "../../shared/test-support.js";
import { deleteNamespace, updateNamespace } from "./change-namespace.js";
import { createNamespace } from "./create-namespace.js";
import { getNamespace, listNamespaces } from "./read-namespaces.js";

const ORG = newId("organization");
const admin = callerOf(ORG);

async function withNamespaces(...names: string[]) {
  const t = await testNamespaces();
  const ids: string[] = [];
  for (const name of names) {
    t.advance(1000);
    const created = await createNamespace(t.ports, admin, {
      namespaceName: name,
      description: `${name} data`,
    });
    if (!created.ok) throw new Error(created.error.message);
    ids.push(created.value.id);
  }
  return { t, ids };
}

function kindOf(result: { ok: boolean; error?: { kind: string } }): string | undefined {
  return result.ok ? undefined : result.error?.kind;
}

describe("createNamespace", () => {
  it("creates a namespace and emits namespace.created once", async () => {
    const { t, ids } = await withNamespaces("production");
    const [id] = ids;
    expect(id).toMatch(/^ns_/);
    const events = await t.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "namespace.created",
      namespaceid: id,
      organizationid: ORG,
      data: { namespace_id: id, organization_id: ORG, namespace_name: "production" },
    });
  });

  it("refuses invalid names and descriptions", async () => {
    const t = await testNamespaces();
    const bad = ["", "-lead", "has space", "x".repeat(65), "ns_abc", newId("namespace"), "ünï"];
    for (const namespaceName of bad) {
      const created = await createNamespace(t.ports, admin, { namespaceName, description: "" });
      expect(kindOf(created), namespaceName).toBe("validation");
    }
    const long = await createNamespace(t.ports, admin, { namespaceName: "ok", description: "d".repeat(501) });
    expect(kindOf(long)).toBe("validation");
    for (const namespaceName of ["a", "A1_b-c", "x".repeat(64), "NS_upper", "nsx"]) {
      const created = await createNamespace(t.ports, admin, { namespaceName, description: "d".repeat(500) });
      expect(created.ok, namespaceName).toBe(true);
    }
    expect((await t.events()).map((e) => e.type)).toEqual(Array(5).fill("namespace.created"));
  });

  it("answers already_exists for a duplicate name in the same organization only", async () => {
    const { t } = await withNamespaces("prod");
    const duplicate = await createNamespace(t.ports, admin, { namespaceName: "prod", description: "" });
    expect(kindOf(duplicate)).toBe("already_exists");
    const otherOrg = await createNamespace(t.ports, callerOf(newId("organization")), {
      namespaceName: "prod",
      description: "",
    });
    expect(otherOrg.ok).toBe(true);
    expect(await t.events()).toHaveLength(2);
  });

  it("needs admin, and an org-wide key", async () => {
    const t = await testNamespaces();
    const writer = await createNamespace(t.ports, callerOf(ORG, { permissions: ["write"] }), {
      namespaceName: "a",
      description: "",
    });
    expect(kindOf(writer)).toBe("forbidden");
    const restricted = await createNamespace(t.ports, callerOf(ORG, { namespaces: [newId("namespace")] }), {
      namespaceName: "a",
      description: "",
    });
    expect(kindOf(restricted)).toBe("forbidden");
    expect(await t.events()).toEqual([]);
  });
});

describe("reading namespaces", () => {
  it("gets by id or by name, confined to the organization and the caller's namespaces", async () => {
    const { t, ids } = await withNamespaces("alpha", "beta");
    const [alpha = "", beta = ""] = ids;
    const reader = callerOf(ORG, { permissions: ["read"] });
    expect((await getNamespace(t.ports, reader, alpha)).ok).toBe(true);
    const byName = await getNamespace(t.ports, reader, "beta");
    expect(byName.ok ? byName.value.id : undefined).toBe(beta);

    const stranger = callerOf(newId("organization"));
    expect(kindOf(await getNamespace(t.ports, stranger, alpha))).toBe("not_found");
    expect(kindOf(await getNamespace(t.ports, stranger, "alpha"))).toBe("not_found");
    const onlyAlpha = callerOf(ORG, { permissions: ["read"], namespaces: [alpha] });
    expect((await getNamespace(t.ports, onlyAlpha, "alpha")).ok).toBe(true);
    const hidden = await getNamespace(t.ports, onlyAlpha, "beta");
    const missing = await getNamespace(t.ports, onlyAlpha, "gamma");
    expect(kindOf(hidden)).toBe("not_found");
    expect(hidden.ok ? undefined : hidden.error.message).toBe(missing.ok ? "" : missing.error.message);
    expect(kindOf(await getNamespace(t.ports, onlyAlpha, beta))).toBe("not_found");
    expect(kindOf(await getNamespace(t.ports, callerOf(ORG, { permissions: [] }), alpha))).toBe("forbidden");
  });

  it("lists newest first, pages with a cursor, and shows a restricted caller only its namespaces", async () => {
    const { t, ids } = await withNamespaces("n1", "n2", "n3");
    const first = await listNamespaces(t.ports, admin, { limit: 2, cursor: undefined });
    if (!first.ok) throw new Error("list failed");
    expect(first.value.namespaces.map((n) => n.namespace_name)).toEqual(["n3", "n2"]);
    const second = await listNamespaces(t.ports, admin, {
      limit: 2,
      cursor: first.value.nextCursor ?? undefined,
    });
    expect(second.ok ? second.value.namespaces.map((n) => n.namespace_name) : []).toEqual(["n1"]);
    expect(second.ok ? second.value.nextCursor : "x").toBeNull();

    const restricted = callerOf(ORG, { permissions: ["read"], namespaces: [ids[0] ?? "", ids[2] ?? ""] });
    const visible = await listNamespaces(t.ports, restricted, { limit: 20, cursor: undefined });
    expect(visible.ok ? visible.value.namespaces.map((n) => n.namespace_name) : []).toEqual(["n3", "n1"]);
    const stranger = await listNamespaces(t.ports, callerOf(newId("organization")), {
      limit: 20,
      cursor: undefined,
    });
    expect(stranger.ok ? stranger.value.namespaces : undefined).toEqual([]);

    expect(kindOf(await listNamespaces(t.ports, admin, { limit: 2, cursor: "garbage" }))).toBe("bad_request");
    expect(kindOf(await listNamespaces(t.ports, admin, { limit: 101, cursor: undefined }))).toBe(
      "bad_request",
    );
    expect(kindOf(await listNamespaces(t.ports, admin, { limit: 0, cursor: undefined }))).toBe("bad_request");
  });
});

describe("changing namespaces", () => {
  it("renames with namespace.updated carrying the previous name, and refuses a taken name", async () => {
    const { t, ids } = await withNamespaces("old", "taken");
    const [id = ""] = ids;
    t.advance(5000);
    const renamed = await updateNamespace(t.ports, admin, "old", {
      namespaceName: "new",
      description: "fresh",
    });
    if (!renamed.ok) throw new Error(renamed.error.message);
    expect(renamed.value).toMatchObject({ id, namespace_name: "new", description: "fresh" });
    expect(renamed.value.updated_at).toBe(t.now().toISOString());
    expect(renamed.value.created_at).not.toBe(renamed.value.updated_at);
    expect((await getNamespace(t.ports, admin, "new")).ok).toBe(true);
    expect(kindOf(await getNamespace(t.ports, admin, "old"))).toBe("not_found");

    const clash = await updateNamespace(t.ports, admin, id, { namespaceName: "taken" });
    expect(kindOf(clash)).toBe("already_exists");
    const unchanged = await updateNamespace(t.ports, admin, id, { namespaceName: "new" });
    expect(unchanged.ok).toBe(true);
    const invalid = await updateNamespace(t.ports, admin, id, { namespaceName: "ns_sneaky" });
    expect(kindOf(invalid)).toBe("validation");

    const updates = (await t.events()).filter((e) => e.type === "namespace.updated");
    expect(updates).toHaveLength(1);
    expect(updates[0]?.data).toMatchObject({
      namespace_name: "new",
      previous_namespace_name: "old",
      description: "fresh",
    });
  });

  it("deletes once with namespace.deleted, freeing the name", async () => {
    const { t, ids } = await withNamespaces("gone");
    const deleted = await deleteNamespace(t.ports, admin, "gone");
    expect(deleted.ok ? deleted.value.id : undefined).toBe(ids[0]);
    expect(kindOf(await deleteNamespace(t.ports, admin, ids[0] ?? ""))).toBe("not_found");
    expect(kindOf(await getNamespace(t.ports, admin, "gone"))).toBe("not_found");
    expect((await t.events()).map((e) => e.type)).toEqual(["namespace.created", "namespace.deleted"]);
    expect((await createNamespace(t.ports, admin, { namespaceName: "gone", description: "" })).ok).toBe(true);
  });

  it("needs admin and confines changes to reachable namespaces", async () => {
    const { t, ids } = await withNamespaces("a", "b");
    const [a = "", b = ""] = ids;
    const writer = callerOf(ORG, { permissions: ["write"] });
    expect(kindOf(await updateNamespace(t.ports, writer, a, { description: "x" }))).toBe("forbidden");
    expect(kindOf(await deleteNamespace(t.ports, writer, a))).toBe("forbidden");
    const onlyA = callerOf(ORG, { namespaces: [a] });
    expect(kindOf(await updateNamespace(t.ports, onlyA, b, { description: "x" }))).toBe("not_found");
    expect(kindOf(await deleteNamespace(t.ports, onlyA, "b"))).toBe("not_found");
    expect((await updateNamespace(t.ports, onlyA, a, { description: "mine" })).ok).toBe(true);
    const stranger = callerOf(newId("organization"));
    expect(kindOf(await deleteNamespace(t.ports, stranger, a))).toBe("not_found");
    expect((await t.events()).filter((e) => e.type !== "namespace.created")).toHaveLength(1);
  });
});
