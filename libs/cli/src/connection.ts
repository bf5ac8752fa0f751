import { createStrataClient, type StrataClient } from "@strata/sdk";
import type { Command } from "commander";

interface ConnectionFlags {
  readonly url?: string;
  readonly apiKey?: string;
  readonly namespace?: string;
}

/** --url, --api-key and --namespace on the root command; each falls back to its variable. */
export function addConnectionOptions(program: Command): Command {
  return program
    .option("--url <url>", "the platform's URL (STRATA_URL; default http://127.0.0.1:8080)")
    .option("--api-key <key>", "an API key (STRATA_API_KEY)")
    .option("-n, --namespace <namespace>", "the namespace, id or name (STRATA_NAMESPACE)");
}

/**
 * The SDK client the flags and environment describe; throws naming what is missing. A command on
 * the organization's namespaces themselves (`namespace clone`) passes `needsNamespace: false`.
 */
export function clientOf(
  command: Command,
  env: NodeJS.ProcessEnv = process.env,
  { needsNamespace = true }: { needsNamespace?: boolean } = {},
): StrataClient {
  const flags = command.optsWithGlobals<ConnectionFlags>();
  const apiKey = flags.apiKey ?? env.STRATA_API_KEY;
  const namespace = flags.namespace ?? env.STRATA_NAMESPACE;
  if (apiKey === undefined || apiKey === "")
    throw new Error("No API key: give --api-key or set STRATA_API_KEY");
  if (needsNamespace && (namespace === undefined || namespace === ""))
    throw new Error("No namespace: give --namespace or set STRATA_NAMESPACE");
  return createStrataClient({
    baseUrl: flags.url ?? env.STRATA_URL ?? "http://127.0.0.1:8080",
    apiKey,
    ...(namespace === undefined || namespace === "" ? {} : { namespace }),
  });
}
