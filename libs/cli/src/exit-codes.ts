import { StrataError } from "@strata/sdk";
import { CommanderError } from "commander";

/** `strata manifest diff` exits 2 when there are changes (like terraform plan -detailed-exitcode). */
export const EXIT_CHANGES = 2;
export const EXIT_ERROR = 1;

/** Prints what went wrong (never a stack trace) and answers the exit code for it. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed usage or help already; --help and --version are not errors.
    return error.exitCode === 0 ? 0 : EXIT_ERROR;
  }
  if (error instanceof StrataError) {
    process.stderr.write(`error: ${error.message} (${error.status} ${error.type})\n`);
    for (const line of problemLines(error.details)) process.stderr.write(`  ${line}\n`);
    return EXIT_ERROR;
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_ERROR;
}

/** A 422's problems (details.validation_errors), one per line, with their path (and YAML line). */
function problemLines(details: Record<string, unknown> | null): string[] {
  const issues = details?.validation_errors;
  if (!Array.isArray(issues)) return [];
  return issues.map((issue) => {
    const { location, message } = issue as { location?: string; message?: string };
    return `${location ?? "(manifest)"}: ${message ?? ""}`;
  });
}
