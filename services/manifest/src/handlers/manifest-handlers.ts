import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import type { CallerContext } from "@strata/grpc";
import { manifestV1 } from "@strata/proto";
import { applyManifest } from "../domain/apply-manifest.js";
import { exportManifest } from "../domain/export-manifest.js";
import { planText } from "../domain/plan.js";
import type { ActContext, ManifestPorts } from "../domain/ports.js";
import { type ManifestInput, preparePlan } from "../domain/prepare-plan.js";
import { redactPlan } from "../domain/redact.js";

/** The gRPC handlers: proto in, domain call, JSON text out. */
export function manifestHandlers(ports: ManifestPorts) {
  const act = (namespaceId: string, context: CallerContext): Result<ActContext, AppError> =>
    namespaceId === ""
      ? err(badRequest("namespace_id is required"))
      : ok({ caller: context.caller, namespaceId });
  return {
    async exportManifest(
      request: manifestV1.ExportManifestRequest,
      context: CallerContext,
    ): Promise<Result<manifestV1.ExportManifestResponse, AppError>> {
      const scope = act(request.namespaceId, context);
      if (!scope.ok) return scope;
      const name = request.manifestName === "" ? request.namespaceId : request.manifestName;
      const exported = await exportManifest(ports, scope.value, name);
      return exported.ok ? ok({ manifestJson: JSON.stringify(exported.value) }) : exported;
    },
    async diffManifest(
      request: manifestV1.DiffManifestRequest,
      context: CallerContext,
    ): Promise<Result<manifestV1.DiffManifestResponse, AppError>> {
      const scope = act(request.namespaceId, context);
      if (!scope.ok) return scope;
      const input = inputOf(request.input);
      if (!input.ok) return input;
      const prepared = await preparePlan(ports, scope.value, input.value);
      if (!prepared.ok) return prepared;
      const plan = redactPlan(prepared.value.plan, ports.kinds);
      return ok({ planJson: JSON.stringify(plan), planText: planText(plan) });
    },
    async applyManifest(
      request: manifestV1.ApplyManifestRequest,
      context: CallerContext,
    ): Promise<Result<manifestV1.ApplyManifestResponse, AppError>> {
      const scope = act(request.namespaceId, context);
      if (!scope.ok) return scope;
      const input = inputOf(request.input);
      if (!input.ok) return input;
      const applied = await applyManifest(ports, scope.value, {
        ...input.value,
        dryRun: request.dryRun,
        expectedPlanHash: request.expectedPlanHash,
      });
      if (!applied.ok) return applied;
      const plan = redactPlan(applied.value.plan, ports.kinds);
      return ok({ resultJson: JSON.stringify({ ...applied.value, plan, plan_text: planText(plan) }) });
    },
  };
}

function inputOf(input: manifestV1.ManifestInput | undefined): Result<ManifestInput, AppError> {
  if (input === undefined || input.document.trim() === "") return err(badRequest("The manifest is empty"));
  return ok({
    document: input.document,
    format: input.format === manifestV1.DocumentFormat.DOCUMENT_FORMAT_JSON ? "json" : "yaml",
    secrets: input.secrets,
    prune: input.prune,
  });
}
