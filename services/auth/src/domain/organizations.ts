import type { DocStoreSession } from "@strata/docstore";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import { newId } from "@strata/ids";
import { type IssuedKey, insertKey } from "./create-key.js";
import type { AuthPorts } from "./ports.js";
import { ORGANIZATIONS_TABLE, type OrganizationRecord } from "./tables.js";

export const ORGANIZATION_NAME_MAX = 100;
export const FIRST_KEY_NAME = "admin";

export interface NewOrganization {
  readonly organization: OrganizationRecord;
  readonly admin: IssuedKey;
}

export function validateOrganizationName(name: string): Result<string, AppError> {
  const issues: ValidationIssue[] = [];
  if (name.trim().length === 0) {
    issues.push({ location: "body.name", message: "name must not be empty", type: "missing" });
  } else if (name.length > ORGANIZATION_NAME_MAX) {
    issues.push({
      location: "body.name",
      message: `name must be at most ${ORGANIZATION_NAME_MAX} characters`,
      type: "string_too_long",
    });
  }
  return issues.length > 0 ? err(validationFailed(issues)) : ok(name);
}

/** Inserts an organization and its first, org-wide admin key inside `tx`. */
export async function insertOrganization(
  ports: AuthPorts,
  tx: DocStoreSession,
  name: string,
  keyName: string,
  now: Date,
): Promise<NewOrganization> {
  const organization: OrganizationRecord = { id: newId("organization"), name, created_at: now.toISOString() };
  const inserted = await tx.table<OrganizationRecord>(ORGANIZATIONS_TABLE).insert(organization);
  if (!inserted.ok) throw new Error("a freshly generated organization id collided with a stored one");
  const admin = await insertKey(
    ports,
    tx,
    {
      name: keyName,
      permissions: ["admin"],
      namespaces: [],
      expiresAt: null,
      principalId: null,
      roles: [],
      attributes: {},
    },
    { organizationId: organization.id, createdBy: null, rotatedFrom: null },
    now,
  );
  return { organization, admin };
}

/** CreateOrganization: an internal call (no caller); the platform operator's tooling makes it. */
export async function createOrganization(
  ports: AuthPorts,
  name: string,
): Promise<Result<NewOrganization, AppError>> {
  const valid = validateOrganizationName(name);
  if (!valid.ok) return valid;
  const now = ports.clock();
  const result = await ports.store.transaction<NewOrganization, AppError>(async (tx) =>
    ok(await insertOrganization(ports, tx, valid.value, FIRST_KEY_NAME, now)),
  );
  if (result.ok) ports.eventsCommitted();
  return result;
}
