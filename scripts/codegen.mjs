#!/usr/bin/env node
// Regenerates the TypeScript for proto/ into libs/proto/src/gen with buf + ts-proto.
// With --check it generates into a temporary folder and fails when the committed code differs,
// so a proto change without regenerated code cannot pass the test run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const target = join(root, "libs/proto/src/gen");
const check = process.argv.includes("--check");
const buf = join(root, "node_modules/.bin/buf");

function generate(out) {
  execFileSync(buf, ["generate", "--template", "buf.gen.yaml", "-o", out], { cwd: root, stdio: "inherit" });
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
} else {
  const scratch = mkdtempSync(join(tmpdir(), "strata-codegen-"));
  try {
    generate(scratch);
    const fresh = join(scratch, "libs/proto/src/gen");
    const want = new Map(listFiles(fresh).map((f) => [relative(fresh, f), readFileSync(f, "utf8")]));
    const have = new Map(listFiles(target).map((f) => [relative(target, f), readFileSync(f, "utf8")]));
    const stale = [...new Set([...want.keys(), ...have.keys()])].filter((f) => want.get(f) !== have.get(f));
    if (stale.length > 0) {
      console.error(`generated code is stale (${stale.join(", ")}): run \`pnpm run codegen\` and commit`);
      process.exit(1);
    }
    console.log("generated code is up to date");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
