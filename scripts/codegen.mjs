#!/usr/bin/env node
// Regenerates the TypeScript for proto/ into libs/proto/src/gen with buf + ts-proto, the gateway's
// OpenAPI document into docs/openapi.json, and the SDK's types from it (openapi-typescript) into
// libs/sdk/src/gen/openapi.ts.
// With --check it generates into a temporary folder and fails when the committed code differs,
// so a proto or route change without regenerated code cannot pass the test run.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const target = join(root, "libs/proto/src/gen");
const check = process.argv.includes("--check");
const buf = join(root, "node_modules/.bin/buf");

function generate(out) {
  execFileSync(buf, ["generate", "--template", "buf.gen.yaml", "-o", out], { cwd: root, stdio: "inherit" });
}

const OPENAPI_DOCUMENT = "docs/openapi.json";
const SDK_TYPES = "libs/sdk/src/gen/openapi.ts";

/** The OpenAPI document (built from the gateway's routes) and the SDK types, under `out`. */
function generateOpenApi(out) {
  mkdirSync(dirname(join(out, SDK_TYPES)), { recursive: true });
  mkdirSync(dirname(join(out, OPENAPI_DOCUMENT)), { recursive: true });
  execFileSync(
    process.execPath,
    ["--import", "tsx", "scripts/export-openapi.ts", join(out, OPENAPI_DOCUMENT)],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  execFileSync(
    join(root, "node_modules/.bin/openapi-typescript"),
    [join(out, OPENAPI_DOCUMENT), "--output", join(out, SDK_TYPES), "--root-types", "--silent"],
    { cwd: root, stdio: "inherit" },
  );
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

if (!check) {
  rmSync(target, { recursive: true, force: true });
  // buf writes each plugin's `out` relative to -o; the template's out is libs/proto/src/gen.
  generate(root);
  console.log(`generated ${listFiles(target).length} files into ${relative(root, target)}`);
  generateOpenApi(root);
  console.log(`generated ${OPENAPI_DOCUMENT} and ${SDK_TYPES}`);
} else {
  const scratch = mkdtempSync(join(tmpdir(), "strata-codegen-"));
  try {
    generate(scratch);
    const fresh = join(scratch, "libs/proto/src/gen");
    const want = new Map(listFiles(fresh).map((f) => [relative(fresh, f), readFileSync(f, "utf8")]));
    const have = new Map(listFiles(target).map((f) => [relative(target, f), readFileSync(f, "utf8")]));
    const stale = [...new Set([...want.keys(), ...have.keys()])].filter((f) => want.get(f) !== have.get(f));
    generateOpenApi(scratch);
    for (const file of [OPENAPI_DOCUMENT, SDK_TYPES]) {
      const committed = statSync(join(root, file), { throwIfNoEntry: false })
        ? readFileSync(join(root, file), "utf8")
        : "";
      if (readFileSync(join(scratch, file), "utf8") !== committed) stale.push(file);
    }
    if (stale.length > 0) {
      console.error(`generated code is stale (${stale.join(", ")}): run \`pnpm run codegen\` and commit`);
      process.exit(1);
    }
    console.log("generated code is up to date");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
