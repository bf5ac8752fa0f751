import { unwrap } from "@strata/sdk";
import type { Command } from "commander";
import { clientOf } from "../connection.js";

/** `strata manifest export [--format json]`: the namespace's manifest on standard output. */
export function registerManifestExport(group: Command): void {
  group
    .command("export")
    .description("Print the namespace's configuration as a manifest (YAML unless --format json)")
    .option("--format <format>", "yaml or json", "yaml")
    .option("--name <name>", "the manifest's metadata.name (default: the namespace's id)")
    .action(async (options: { format: string; name?: string }, command: Command) => {
      if (options.format !== "yaml" && options.format !== "json")
        throw new Error(`--format is yaml or json, not '${options.format}'`);
      const client = clientOf(command);
      const text = await unwrap(
        client.api.GET("/v1/manifest/export", {
          params: {
            query: { format: options.format, ...(options.name === undefined ? {} : { name: options.name }) },
          },
          parseAs: "text",
        }),
      );
      process.stdout.write(
        options.format === "json" ? `${JSON.stringify(JSON.parse(text), null, 2)}\n` : text,
      );
    });
}
