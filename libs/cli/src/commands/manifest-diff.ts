import { unwrap } from "@strata/sdk";
import type { Command } from "commander";
import { clientOf } from "../connection.js";
import { EXIT_CHANGES } from "../exit-codes.js";
import { collectSecret, readManifestFile } from "../manifest-file.js";
import { colourEnabled, renderPlan } from "../plan-output.js";

/** `strata manifest diff -f m.yaml`: the plan; exit 0 when nothing would change, 2 when something would. */
export function registerManifestDiff(group: Command): void {
  group
    .command("diff")
    .description("Show what applying the manifest would change (exit 0: nothing, 2: changes, 1: error)")
    .requiredOption("-f, --file <path>", "the manifest (YAML or JSON; - for standard input)")
    .option(
      "--prune",
      "include deleting what earlier applies created and the manifest no longer lists",
      false,
    )
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest's secret reference syntax, not a template
    .option("--secret <NAME=VALUE>", "a value for ${{ secrets.NAME }} (repeatable)", collectSecret, {})
    .option("--json", "print the plan as JSON", false)
    .action(async (options: DiffOptions, command: Command) => {
      const client = clientOf(command);
      const manifest = await readManifestFile(options.file);
      const plan = await unwrap(
        client.api.POST("/v1/manifest/diff", {
          body: { manifest, secrets: options.secret, prune: options.prune },
        }),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(plan, null, 2)}\n`
          : renderPlan(plan.plan_text, colourEnabled(process.stdout)),
      );
      const changes = plan.changes.some((change) => change.action !== "no-op");
      if (changes) process.exitCode = EXIT_CHANGES;
    });
}

interface DiffOptions {
  readonly file: string;
  readonly prune: boolean;
  readonly secret: Record<string, string>;
  readonly json: boolean;
}
