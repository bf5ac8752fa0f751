// Calls of the manifest service as the tests and the benchmark make them, answers parsed.
import type { Caller } from "@strata/access";
import type { AppError, Result } from "@strata/errors";
import type { ResultClient } from "@strata/grpc";
import { manifestV1 } from "@strata/proto";
import type { Plan } from "../domain/plan.js";

export type ManifestClient = ResultClient<typeof manifestV1.ManifestServiceService>;

export interface ApplyAnswer {
  readonly apply_id: string | null;
  readonly dry_run: boolean;
  readonly changed: boolean;
  readonly plan: Plan;
  readonly plan_text: string;
}

export interface InputOptions {
  readonly format?: "yaml" | "json";
  readonly secrets?: Record<string, string>;
  readonly prune?: boolean;
}

export function manifestCalls(client: ManifestClient, caller: Caller) {
  const inputOf = (document: string | object, options: InputOptions): manifestV1.ManifestInput => {
    const json = typeof document !== "string" || options.format === "json";
    return {
      document: typeof document === "string" ? document : JSON.stringify(document),
      format: json
        ? manifestV1.DocumentFormat.DOCUMENT_FORMAT_JSON
        : manifestV1.DocumentFormat.DOCUMENT_FORMAT_YAML,
      secrets: options.secrets ?? {},
      prune: options.prune ?? false,
    };
  };
  return {
    async exportOf(namespaceId: string, name = "m"): Promise<Record<string, unknown>> {
      const answer = await client.exportManifest({ namespaceId, manifestName: name }, { caller });
      if (!answer.ok) throw new Error(`export: ${answer.error.message}`);
      return JSON.parse(answer.value.manifestJson) as Record<string, unknown>;
    },
    async diff(
      namespaceId: string,
      document: string | object,
      options: InputOptions = {},
    ): Promise<Result<Plan & { text: string }, AppError>> {
      const answer = await client.diffManifest(
        { namespaceId, input: inputOf(document, options) },
        { caller },
      );
      if (!answer.ok) return answer;
      return {
        ok: true,
        value: { ...(JSON.parse(answer.value.planJson) as Plan), text: answer.value.planText },
      };
    },
    async apply(
      namespaceId: string,
      document: string | object,
      options: InputOptions & { dryRun?: boolean; expectedPlanHash?: string } = {},
    ): Promise<Result<ApplyAnswer, AppError>> {
      const answer = await client.applyManifest(
        {
          namespaceId,
          input: inputOf(document, options),
          dryRun: options.dryRun ?? false,
          expectedPlanHash: options.expectedPlanHash ?? "",
        },
        { caller },
      );
      if (!answer.ok) return answer;
      return { ok: true, value: JSON.parse(answer.value.resultJson) as ApplyAnswer };
    },
  };
}

/** A result's value, or a thrown error naming what failed (tests want the value). */
export function answerOf<T>(result: Result<T, AppError>): T {
  if (!result.ok)
    throw new Error(
      `${result.error.kind}: ${result.error.message} ${JSON.stringify(result.error.details ?? {})}`,
    );
  return result.value;
}
