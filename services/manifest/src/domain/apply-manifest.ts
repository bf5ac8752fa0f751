import {
  type AppError,
  appError,
  conflict,
  err,
  ok,
  type Result,
  type ValidationIssue,
} from "@strata/errors";
import { buildEvent } from "@strata/events";
import { newId } from "@strata/ids";
import { acquireApplyLock } from "./apply-lock.js";
import { manifestDocument } from "./manifest-shape.js";
import { hasChanges, type Plan } from "./plan.js";
import type { ActContext, ManifestPorts } from "./ports.js";
import { type ManifestInput, type PreparedPlan, preparePlan } from "./prepare-plan.js";
import { redactManifest, redactPlan } from "./redact.js";
import { restoreNamespace } from "./restore.js";
import { runPlan, type StepFailure } from "./run-plan.js";
import { APPLIES_TABLE, type ApplyRecord, MEMBERSHIP_TABLE, type MemberRecord, memberId } from "./tables.js";

export interface ApplyOptions extends ManifestInput {
  readonly dryRun: boolean;
  /** The reviewed plan's hash; a different plan now means the namespace changed: refused. */
  readonly expectedPlanHash: string;
}

export interface ApplyOutcome {
  /** Null when nothing was changed (a dry run, or a plan with no changes). */
  readonly apply_id: string | null;
  readonly dry_run: boolean;
  readonly changed: boolean;
  readonly plan: Plan;
}

/**
 * Plans and carries out a manifest under the namespace's apply lock. All or nothing: a failing step
 * undoes what the apply had changed and the error reports both. An apply with nothing to change
 * writes nothing and emits no event.
 */
export async function applyManifest(
  ports: ManifestPorts,
  context: ActContext,
  options: ApplyOptions,
): Promise<Result<ApplyOutcome, AppError>> {
  const lock = await acquireApplyLock(ports, context.namespaceId);
  if (lock === undefined)
    return err(conflict("Another apply on this namespace is in progress; try again when it finished"));
  try {
    const prepared = await preparePlan(ports, context, options);
    if (!prepared.ok) return prepared;
    const { plan } = prepared.value;
    if (options.expectedPlanHash !== "" && options.expectedPlanHash !== plan.plan_hash) {
      return err(
        conflict("The namespace changed since the plan was made; review the new plan", {
          expected_plan_hash: options.expectedPlanHash,
          plan_hash: plan.plan_hash,
        }),
      );
    }
    if (options.dryRun || !hasChanges(plan))
      return ok({ apply_id: null, dry_run: options.dryRun, changed: false, plan });
    const ran = await runPlan(ports, context, plan, "apply");
    const failed = ran.failures[0];
    if (failed !== undefined) {
      const { rolledBack, rollbackFailed } = await restoreNamespace(ports, context, prepared.value.live);
      const undone =
        rollbackFailed.length === 0 ? "what it had changed was undone" : "undoing it failed in part";
      return err(
        appError(
          failed.error.kind,
          `Apply failed at ${failed.kind} '${failed.name}' (${failed.operation}): ${failed.error.message}; ${undone}`,
          {
            ...ownerIssuesOf(ports, failed),
            failed: { kind: failed.kind, name: failed.name, operation: failed.operation },
            rolled_back: rolledBack,
            rollback_failed: rollbackFailed.map((f) => ({
              kind: f.kind,
              name: f.name,
              operation: f.operation,
              message: f.error.message,
            })),
          },
        ),
      );
    }
    const applyId = await recordApply(ports, context, prepared.value);
    return ok({ apply_id: applyId, dry_run: false, changed: true, plan });
  } finally {
    await lock.release();
  }
}

/** Membership, history and the manifest.applied event, in one transaction. */
async function recordApply(
  ports: ManifestPorts,
  context: ActContext,
  prepared: PreparedPlan,
): Promise<string> {
  const { manifest, plan } = prepared;
  const applyId = newId("manifestApply");
  const at = ports.clock();
  const organizationId = context.caller.organizationId;
  const changes = plan.changes.filter((change) => change.action !== "no-op");
  const written = await ports.store.transaction(async (tx) => {
    const members = tx.table<MemberRecord>(MEMBERSHIP_TABLE);
    for (const change of plan.changes) {
      const id = memberId(context.namespaceId, change.kind, change.name);
      const current = await members.get(id);
      if (change.action === "delete") {
        if (current !== undefined) await members.delete(id, current.version);
        continue;
      }
      const record: MemberRecord = {
        id,
        organization_id: organizationId,
        namespace_id: context.namespaceId,
        section: change.kind,
        name: change.name,
        protect: change.protect,
        apply_id: applyId,
      };
      // Only what an apply created becomes a member; resources it found stay unmanaged for prune.
      if (current !== undefined) await members.replace(record, current.version);
      else if (change.action === "create" || change.action === "replace") await members.insert(record);
    }
    await tx.table<ApplyRecord>(APPLIES_TABLE).insert({
      id: applyId,
      organization_id: organizationId,
      namespace_id: context.namespaceId,
      manifest_name: manifest.name,
      plan_hash: plan.plan_hash,
      manifest_json: JSON.stringify(manifestDocument(redactManifest(manifest, ports.kinds), ports.kinds)),
      plan_json: JSON.stringify(redactPlan(plan, ports.kinds)),
      applied_at: at.toISOString(),
    });
    await ports.appendEvent(
      tx,
      buildEvent(
        "manifest.applied",
        { service: "manifest", organizationId, namespaceId: context.namespaceId, subject: applyId, time: at },
        {
          apply_id: applyId,
          namespace_id: context.namespaceId,
          organization_id: organizationId,
          manifest_name: manifest.name,
          plan_hash: plan.plan_hash,
          changes: changes.map((change) => ({
            kind: change.kind,
            name: change.name,
            action: change.action as "create" | "update" | "replace" | "delete",
          })),
        },
      ),
    );
    return ok(undefined);
  });
  if (written.ok) ports.eventsCommitted();
  return applyId;
}

/**
 * The owning service's own problems with a refused step (e.g. tier-migrator's 422 for a policy
 * invalid for the namespace), each placed under the resource in the manifest.
 */
function ownerIssuesOf(ports: ManifestPorts, failed: StepFailure): { validation_errors?: ValidationIssue[] } {
  const issues = failed.error.details?.validation_errors;
  if (!Array.isArray(issues)) return {};
  const singleton = ports.kinds.find((kind) => kind.section === failed.kind)?.singleton !== undefined;
  const at = singleton ? failed.kind : `${failed.kind}.${failed.name}`;
  return {
    validation_errors: issues.map((issue: ValidationIssue) => ({
      ...issue,
      location: `${at}.${String(issue.location).replace(/^body\./, "")}`,
    })),
  };
}
