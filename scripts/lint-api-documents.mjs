#!/usr/bin/env node
// `pnpm run check`: the committed OpenAPI document (docs/openapi.json, kept current by
// codegen:check) passes `redocly lint` with the recommended rules at error level (redocly.yaml),
// and the AsyncAPI document the gateway serves passes @asyncapi/parser without errors.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { Parser } from "@asyncapi/parser";

const root = new URL("..", import.meta.url).pathname;
// No telemetry or update check: the lint runs offline, in CI too.
const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };

try {
  execFileSync(
    join(root, "node_modules/.bin/redocly"),
    ["lint", "docs/openapi.json", "--config", "redocly.yaml", "--format", "summary"],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  console.log("docs/openapi.json: redocly lint (recommended rules): 0 errors, 0 warnings");
} catch (error) {
  process.stdout.write(error.stdout ?? "");
  process.stderr.write(error.stderr ?? "");
  console.error("docs/openapi.json fails redocly lint: run `npx redocly lint docs/openapi.json` to see why");
  process.exit(1);
}

const asyncApi = execFileSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "-e",
    'import("@strata/events").then((m) => console.log(JSON.stringify(m.asyncApiDocument("0.0.0"))))',
  ],
  { cwd: join(root, "services/gateway"), encoding: "utf8" },
);
const { diagnostics } = await new Parser().parse(asyncApi);
const errors = diagnostics.filter((d) => d.severity === 0);
if (errors.length > 0) {
  for (const d of errors) console.error(`asyncapi: ${d.path.join(".")}: ${d.message}`);
  process.exit(1);
}
console.log(`AsyncAPI document: @asyncapi/parser: 0 errors (${diagnostics.length} other diagnostics)`);
