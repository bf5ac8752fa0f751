import type { z } from "zod";

export interface ConfigIssue {
  /** The environment variable (or dotted path) that is wrong. */
  readonly variable: string;
  readonly message: string;
}

/** Every configuration problem at once, so a misconfigured service is fixed in one round. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      [
        `Invalid configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):`,
        ...issues.map((issue) => `  ${issue.variable}: ${issue.message}`),
      ].join("\n"),
    );
    this.issues = issues;
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment against a schema of env fields (see fields.ts). Empty or blank values
 * count as unset, as `FOO=` in a compose file or a shell means "not configured". Throws a
 * ConfigError listing every problem, one per line: configuration errors are fatal at start.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const normalized: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== "") normalized[name] = value;
  }
  const parsed = schema.safeParse(normalized);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const variable = issue.path.map(String).join(".") || "(root)";
      const unset = issue.path.length === 1 && normalized[variable] === undefined;
      // Zod's wording for a missing string ("expected string, received undefined") reads badly here.
      const message = unset && issue.code === "invalid_type" ? "is required but not set" : issue.message;
      return { variable, message };
    }),
  );
}
