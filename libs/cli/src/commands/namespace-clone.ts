import { unwrap } from "@strata/sdk";
import type { Command } from "commander";
import { CloneProgressDisplay } from "../clone-progress.js";
import { clientOf } from "../connection.js";
import { EXIT_ERROR } from "../exit-codes.js";

interface CloneFlags {
  readonly description?: string;
  readonly includeWebhooks?: boolean;
  /** Commander's `--no-wait`: false when given. */
  readonly wait: boolean;
}

/**
 * `strata namespace clone <source> <name>`: starts the clone, then follows it with a progress bar
 * (plain lines when not on a terminal). Exits 0 once it is ready, 1 when it failed or was cancelled.
 */
export function registerNamespaceClone(group: Command): void {
  group
    .command("clone")
    .description("Clone a namespace (id or name) into a new one and follow the copy")
    .argument("<source>", "the namespace to clone: its id (ns_…) or name")
    .argument("<name>", "the clone's name")
    .option("--description <text>", "the clone's description (default: the source's)")
    .option("--include-webhooks", "copy the source's webhooks too (they arrive inactive)")
    .option("--no-wait", "answer once the clone is accepted, without following it")
    .action(async (source: string, name: string, flags: CloneFlags, command: Command) => {
      const client = clientOf(command, process.env, { needsNamespace: false });
      const accepted = await unwrap(
        client.api.POST("/v1/namespaces/{id}/clone", {
          params: { path: { id: source } },
          body: {
            namespace_name: name,
            ...(flags.description === undefined ? {} : { description: flags.description }),
            ...(flags.includeWebhooks === true ? { include_webhooks: true } : {}),
          },
        }),
      );
      const cloneId = accepted.namespace.namespace_id;
      process.stdout.write(
        `Cloning ${accepted.source_namespace_id} into ${name} (${cloneId}, ${accepted.task_id})\n`,
      );
      if (!flags.wait) return;
      const display = new CloneProgressDisplay();
      const ended = await client.waitForClone(cloneId, { onProgress: (status) => display.show(status) });
      display.finish(ended);
      if (ended.status === "ready") {
        process.stdout.write(`Ready: ${name} (${cloneId})\n`);
        return;
      }
      process.stderr.write(`error: the clone ${ended.status}: ${ended.reason ?? "no reason given"}\n`);
      process.exitCode = EXIT_ERROR;
    });
}
