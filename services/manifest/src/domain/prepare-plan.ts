import { type AppError, err, ok, type Result, validationFailed } from "@strata/errors";
import type { Manifest } from "./manifest-shape.js";
import { readLive, readMembers } from "./namespace-state.js";
import { type Plan, planChanges, protectedViolations } from "./plan.js";
import type { ActContext, LiveResource, ManifestPorts } from "./ports.js";
import { validateManifest } from "./validate-manifest.js";

export interface ManifestInput {
  readonly document: string;
  readonly format: "yaml" | "json";
  readonly secrets: Readonly<Record<string, string>>;
  readonly prune: boolean;
}

export interface PreparedPlan {
  readonly manifest: Manifest;
  readonly plan: Plan;
  /** The namespace as the plan found it (what a failed apply restores). */
  readonly live: ReadonlyMap<string, readonly LiveResource[]>;
}

/** Parses and validates the manifest (422 listing every problem), reads the namespace and plans. */
export async function preparePlan(
  ports: ManifestPorts,
  context: ActContext,
  input: ManifestInput,
): Promise<Result<PreparedPlan, AppError>> {
  const parsed = ports.parse(input.document, input.format);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    const at = line === undefined ? "" : `line ${line}, column ${column ?? 1}: `;
    return err(
      validationFailed(
        [{ location: "(document)", type: "parse_error", message: `${at}${message}` }],
        `The manifest is not valid ${input.format.toUpperCase()}`,
      ),
    );
  }
  const validated = validateManifest(parsed.value, ports.kinds, input.secrets);
  if (!validated.ok) return err(validationFailed(validated.issues, "The manifest is invalid"));
  const live = await readLive(ports, context);
  if (!live.ok) return live;
  const members = await readMembers(ports, context.namespaceId);
  const plan = planChanges({
    manifest: validated.manifest,
    kinds: ports.kinds,
    live: live.value,
    members,
    prune: input.prune,
  });
  const refused = protectedViolations(plan);
  if (refused.length > 0) {
    return err(
      validationFailed(
        refused.map((change) => ({
          location: `${change.kind}.${change.name}`,
          type: "protected",
          message: `${change.kind} '${change.name}' is protected; the plan would ${change.action} it`,
        })),
        "The plan would destroy protected resources",
      ),
    );
  }
  return ok({ manifest: validated.manifest, plan, live: live.value });
}
