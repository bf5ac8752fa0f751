import type { ResourceKind, Spec } from "./ports.js";

export const MANIFEST_VERSION = "1.0";

/** A manifest's resource: its name, whether prune and replace must leave it alone, its fields. */
export interface ManifestResource {
  readonly name: string;
  readonly protect: boolean;
  readonly spec: Spec;
}

/** A validated manifest, normalised: every kind's list present, in manifest order. */
export interface Manifest {
  readonly name: string;
  readonly sections: ReadonlyMap<string, readonly ManifestResource[]>;
}

/**
 * The manifest as a document: `version`, `metadata`, then one list per kind in dependency order.
 * A resource's `protect` appears only when true, so an export (which knows no protect) round-trips.
 */
export function manifestDocument(
  manifest: Manifest,
  kinds: readonly ResourceKind[],
): Record<string, unknown> {
  const document: Record<string, unknown> = { version: MANIFEST_VERSION, metadata: { name: manifest.name } };
  for (const kind of sortedKinds(kinds)) {
    const resources = manifest.sections.get(kind.section) ?? [];
    if (kind.singleton !== undefined) {
      // One object without a name, and no key at all when the namespace has none.
      const [only] = resources;
      if (only !== undefined)
        document[kind.section] = { ...(only.protect ? { protect: true } : {}), ...only.spec };
      continue;
    }
    document[kind.section] = resources.map((resource) => ({
      name: resource.name,
      ...(resource.protect ? { protect: true } : {}),
      ...resource.spec,
    }));
  }
  return document;
}

export function sortedKinds(kinds: readonly ResourceKind[]): ResourceKind[] {
  return [...kinds].sort((a, b) => a.order - b.order);
}
