import { unwrap } from "@strata/sdk";
import type { Command } from "commander";
import { clientOf } from "../connection.js";
import { collectSecret, readManifestFile } from "../manifest-file.js";
import { colourEnabled, renderPlan } from "../plan-output.js";

/** `strata manifest apply -f m.yaml [--prune] [--dry-run]`: carries the plan out, all or nothing. */
export function registerManifestApply(group: Command): void {
  group
    .command("apply")
    .description("Make the namespace match the manifest (all or nothing)")
    .requiredOption("-f, --file <path>", "the manifest (YAML or JSON; - for standard input)")
    .option("--prune", "delete what earlier applies created and the manifest no longer lists", false)
    .option("--dry-run", "plan only, change nothing", false)
    .option("--plan-hash <hash>", "refuse unless the plan is still the reviewed one (from diff --json)")
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest's secret reference syntax, not a template
    .option("--secret <NAME=VALUE>", "a value for ${{ secrets.NAME }} (repeatable)", collectSecret, {})
    .action(async (options: ApplyOptions, command: Command) => {
      const client = clientOf(command);
      const manifest = await readManifestFile(options.file);
      const result = await unwrap(
        client.api.POST("/v1/manifest/apply", {
          body: {
            manifest,
            secrets: options.secret,
            prune: options.prune,
            dry_run: options.dryRun,
            ...(options.planHash === undefined ? {} : { expected_plan_hash: options.planHash }),
          },
        }),
      );
      process.stdout.write(renderPlan(result.plan.plan_text, colourEnabled(process.stdout)));
      if (result.dry_run) process.stdout.write("Dry run: nothing was changed.\n");
      else if (result.changed) process.stdout.write(`Applied (${result.apply_id}).\n`);
    });
}

interface ApplyOptions {
  readonly file: string;
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly planHash?: string;
  readonly secret: Record<string, string>;
}
