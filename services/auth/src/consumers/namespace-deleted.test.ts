import { type AppError, err, ok, type Result } from "@strata/errors";
import { buildEvent } from "@strata/events";
import { newId } from "@strata/ids";
import { createLogger } from "@strata/logger";
import { describe, expect, it } from "vitest";
import { createKey } from "../domain/create-key.js";
import { createOrganization } from "../domain/organizations.js";
import { API_KEYS_TABLE, type ApiKeyRecord } from "../domain/tables.js";
import { adminCaller, testAuth } from "../domain/test-support.js";
import { handleNamespaceDeleted } from "./namespace-deleted.js";

const logger = createLogger({ service: "auth-test", level: "silent" });

async function keyRestrictedToOneNamespace() {
  const t = await testAuth();
  const org = await createOrganization(t.ports, "Acme");
  if (!org.ok) throw new Error("organization not created");
  const orgId = org.value.organization.id;
  const namespaceId = newId("namespace");
  const created = await createKey(t.ports, adminCaller(orgId, { keyId: org.value.admin.key.id }), {
    name: "scoped",
    permissions: ["read"],
    namespaces: [namespaceId],
    roles: [],
  });
  if (!created.ok) throw new Error(created.error.message);
  const event = buildEvent(
    "namespace.deleted",
    { service: "namespace", organizationId: orgId, namespaceId, subject: namespaceId },
    { namespace_id: namespaceId, organization_id: orgId, namespace_name: "gone" },
  );
  const status = async () =>
    (await t.store.table<ApiKeyRecord>(API_KEYS_TABLE).get(created.value.key.id))?.record.status;
  return { t, event, status };
}

const says = (answer: Result<boolean, AppError>) => async (): Promise<Result<boolean, AppError>> => answer;

describe("namespace.deleted in auth", () => {
  it("revokes nothing while the namespace service says the namespace is live", async () => {
    const { t, event, status } = await keyRestrictedToOneNamespace();
    const outcome = await handleNamespaceDeleted(
      { ports: t.ports, namespaceIsLive: says(ok(true)), logger },
      event,
    );
    expect(outcome).toMatchObject({ action: "dead" });
    expect(await status()).toBe("active");
  });

  it("retries while the namespace service cannot answer, then revokes once it says the namespace is gone", async () => {
    const { t, event, status } = await keyRestrictedToOneNamespace();
    const down = says(err({ kind: "unavailable", message: "namespace service unavailable" }));
    expect(await handleNamespaceDeleted({ ports: t.ports, namespaceIsLive: down, logger }, event)).toEqual({
      action: "retry",
    });
    expect(await status()).toBe("active");
    const gone = says(ok(false));
    expect(await handleNamespaceDeleted({ ports: t.ports, namespaceIsLive: gone, logger }, event)).toEqual({
      action: "ack",
    });
    expect(await status()).toBe("revoked");
  });
});
