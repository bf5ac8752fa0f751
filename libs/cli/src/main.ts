import { Command } from "commander";
import { registerManifestApply } from "./commands/manifest-apply.js";
import { registerManifestDiff } from "./commands/manifest-diff.js";
import { registerManifestExport } from "./commands/manifest-export.js";
import { registerNamespaceClone } from "./commands/namespace-clone.js";
import { addConnectionOptions } from "./connection.js";
import { exitCodeOf } from "./exit-codes.js";

/** The command tree: one group per resource, one file per command, one line each to register. */
export function buildProgram(): Command {
  const program = addConnectionOptions(new Command("strata"))
    .description("The Strata platform from the command line")
    .showHelpAfterError()
    .exitOverride();
  const manifest = program.command("manifest").description("A namespace's configuration as code");
  registerManifestExport(manifest);
  registerManifestDiff(manifest);
  registerManifestApply(manifest);
  const namespace = program.command("namespace").description("The organization's namespaces");
  registerNamespaceClone(namespace);
  return program;
}

/** Runs the command line; answers the process exit code (0 done, 2 diff found changes, 1 error or a clone that failed). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error: unknown) {
    return exitCodeOf(error);
  }
}
