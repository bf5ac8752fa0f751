import type { RunningService } from "./service-starters.js";

/**
 * Every service's dependencies as one flat record, `<service>.<dependency>` (e.g. `namespace.store`,
 * `gateway.auth`), for the metrics listener's /readyz: a 503 names what is not ready. A service that
 * reports no detail counts as one check under its name.
 */
export async function processReadiness(
  services: readonly RunningService[],
): Promise<Record<string, boolean>> {
  const answers = await Promise.all(
    services.map(async (service) => {
      try {
        const checks = service.readiness === undefined ? undefined : await service.readiness();
        if (checks === undefined) return [[service.name, await service.ready()]] as const;
        return Object.entries(checks).map(
          ([dependency, up]) => [`${service.name}.${dependency}`, up] as const,
        );
      } catch {
        return [[service.name, false]] as const;
      }
    }),
  );
  return Object.fromEntries(answers.flat());
}
