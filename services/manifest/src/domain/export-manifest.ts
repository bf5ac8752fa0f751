import { type AppError, ok, type Result } from "@strata/errors";
import { manifestDocument } from "./manifest-shape.js";
import { readLive } from "./namespace-state.js";
import type { ActContext, ManifestPorts } from "./ports.js";
import { withSecretReferences } from "./redact.js";

/** The namespace as a manifest: every kind's resources by name, sorted, secrets as references. */
export async function exportManifest(
  ports: ManifestPorts,
  context: ActContext,
  name: string,
): Promise<Result<Record<string, unknown>, AppError>> {
  const live = await readLive(ports, context);
  if (!live.ok) return live;
  const sections = new Map(
    ports.kinds.map((kind) => [
      kind.section,
      [...(live.value.get(kind.section) ?? [])]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((resource) => ({
          name: resource.name,
          protect: false,
          spec: withSecretReferences(kind, resource.name, resource.spec),
        })),
    ]),
  );
  return ok(manifestDocument({ name, sections }, ports.kinds));
}
