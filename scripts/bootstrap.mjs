#!/usr/bin/env node
// What `npm start`, `npm test`, `npm run setup` and `npm run bench:*` run.
//
//   node scripts/bootstrap.mjs start          install what is missing, then run the platform
//   node scripts/bootstrap.mjs test           install what is missing, then `pnpm run test:run`
//   node scripts/bootstrap.mjs setup          only install what is missing
//   node scripts/bootstrap.mjs bench <file>   install what is missing, then `node --import tsx <file>`
//   node scripts/bootstrap.mjs demo           install what is missing, then the demo (against `npm start`)
//
// It runs on a fresh clone before anything is installed, so it is plain Node ESM with no
// dependencies. Every step says what it checks and what it does about it.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PNPM_VERSION = "12.21.0";
const MIN_NODE = [20, 19];
const STAMP_FILE = join(ROOT, "node_modules", ".strata-install-stamp");
const NODE_HEADERS = "/usr/include/node/node.h";
// Debian puts daemons such as nats-server in /usr/sbin, which a normal user's PATH often lacks.
const EXTRA_BIN_DIRS = ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin"];

// ---------------------------------------------------------------------------------------------
// output and processes

function step(message) {
  console.log(`[bootstrap] ${message}`);
}

function fail(message) {
  console.error(`[bootstrap] error: ${message}`);
  process.exit(1);
}

/** Runs a command with inherited stdio; returns its exit code (null when it could not start). */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", ...options });
  if (result.error) return null;
  return result.status;
}

/** Runs a command quietly and returns its trimmed stdout, or null if it failed. */
function capture(command, args) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim();
}

function findBinary(name) {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), ...EXTRA_BIN_DIRS].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Node itself

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  const [needMajor, needMinor] = MIN_NODE;
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    fail(`Node ${needMajor}.${needMinor}+ is required, this is ${process.versions.node}`);
  }
  step(`node ${process.versions.node}: ok`);
}

// ---------------------------------------------------------------------------------------------
// pnpm

/** Returns the argv prefix that runs pnpm PNPM_VERSION, installing it when needed. */
function ensurePnpm() {
  const found = capture("pnpm", ["--version"]);
  if (found === PNPM_VERSION) {
    step(`pnpm ${PNPM_VERSION}: present`);
    return ["pnpm"];
  }
  step(
    `pnpm ${PNPM_VERSION}: ${found ? `found ${found}, installing ${PNPM_VERSION}` : "missing, installing"}`,
  );
  const code = run("npm", ["install", "-g", `pnpm@${PNPM_VERSION}`]);
  if (code === 0 && capture("pnpm", ["--version"]) === PNPM_VERSION) {
    step(`pnpm ${PNPM_VERSION}: installed`);
    return ["pnpm"];
  }
  // A global install needs write access to npm's prefix; without it npx fetches pnpm into its
  // cache instead, and we keep using that for the rest of this run.
  step(`global install failed; using npx --yes pnpm@${PNPM_VERSION} for this run`);
  const prefix = ["npx", "--yes", `pnpm@${PNPM_VERSION}`];
  if (capture(prefix[0], [...prefix.slice(1), "--version"]) !== PNPM_VERSION) {
    fail(`could not run pnpm ${PNPM_VERSION}; install it yourself: npm install -g pnpm@${PNPM_VERSION}`);
  }
  return prefix;
}

// ---------------------------------------------------------------------------------------------
// node dependencies

/** Every package.json of the workspace, skipping installed and generated trees. */
function listPackageJsons(dir = ROOT, depth = 0) {
  const skip = new Set(["node_modules", ".git", ".strata", "dist", "coverage"]);
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !skip.has(entry.name) && depth < 3) {
      found.push(...listPackageJsons(join(dir, entry.name), depth + 1));
    } else if (entry.isFile() && entry.name === "package.json") {
      found.push(join(dir, entry.name));
    }
  }
  return found;
}

// The package.json fields that change what `pnpm install` does; editing a script must not reinstall.
const INSTALL_FIELDS = [
  "name",
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
  "pnpm",
  "engines",
];

/** A hash of everything that decides what `pnpm install` puts in node_modules. */
function dependencyHash() {
  const hash = createHash("sha256");
  for (const file of ["pnpm-lock.yaml", "pnpm-workspace.yaml"].map((f) => join(ROOT, f))) {
    if (existsSync(file))
      hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  for (const file of listPackageJsons().sort()) {
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    const relevant = INSTALL_FIELDS.map((field) => [field, manifest[field] ?? null]);
    hash.update(relative(ROOT, file)).update("\0").update(JSON.stringify(relevant)).update("\0");
  }
  return hash.digest("hex");
}

/**
 * pnpm keeps a copy of the lockfile it last installed in node_modules/.pnpm/lock.yaml. When it
 * equals ours, an install made without this script (a developer's own `pnpm install`) is current,
 * and we adopt it instead of installing again.
 */
function pnpmInstallIsCurrent() {
  const installed = join(ROOT, "node_modules", ".pnpm", "lock.yaml");
  if (!existsSync(installed)) return false;
  return readFileSync(installed).equals(readFileSync(join(ROOT, "pnpm-lock.yaml")));
}

/** The environment for children that may compile native addons (better-sqlite3). */
function childEnv() {
  const env = { ...process.env };
  // node-gyp would download Node's headers, which fails offline; Debian ships them.
  if (env.npm_config_nodedir === undefined && existsSync(NODE_HEADERS)) env.npm_config_nodedir = "/usr";
  return env;
}

function ensureNodeModules(pnpm) {
  if (!existsSync(join(ROOT, "pnpm-lock.yaml")))
    fail("pnpm-lock.yaml is missing; this script installs from it");
  const wanted = dependencyHash();
  const stamp = existsSync(STAMP_FILE) ? readFileSync(STAMP_FILE, "utf8").trim() : null;
  if (stamp === wanted) {
    step("node dependencies: present");
    return;
  }
  if (stamp === null && pnpmInstallIsCurrent()) {
    writeFileSync(STAMP_FILE, `${wanted}\n`);
    step("node dependencies: present (installed earlier with pnpm)");
    return;
  }
  step(`node dependencies: ${stamp === null ? "not installed" : "out of date"}, running pnpm install`);
  step("  (better-sqlite3 compiles from source: the first install takes a minute or two)");
  const code = run(pnpm[0], [...pnpm.slice(1), "install", "--frozen-lockfile"], { env: childEnv() });
  if (code !== 0) fail("pnpm install --frozen-lockfile failed (see above)");
  writeFileSync(STAMP_FILE, `${wanted}\n`);
  step("node dependencies: installed");
}

// ---------------------------------------------------------------------------------------------
// system tools (nats-server, docker-compose)

/** The argv prefix that runs a command as root, or null when we cannot become root. */
function asRoot() {
  if (process.getuid?.() === 0) return [];
  if (findBinary("sudo")) return process.stdin.isTTY ? ["sudo"] : ["sudo", "-n"];
  return null;
}

function aptGet(root, args) {
  const argv = [...root, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args];
  return run(argv[0], argv.slice(1));
}

/** Installs a Debian package; runs `apt-get update` once if the first attempt fails. */
function aptInstall(pkg) {
  const root = asRoot();
  if (root === null || !findBinary("apt-get")) return false;
  if (aptGet(root, ["install", "-y", pkg]) === 0) return true;
  step(`apt-get install ${pkg} failed; running apt-get update and trying again`);
  if (aptGet(root, ["update"]) !== 0) return false;
  return aptGet(root, ["install", "-y", pkg]) === 0;
}

function ensureSystemTool({ binary, aptPackage, why, howTo }) {
  const found = findBinary(binary);
  if (found) {
    step(`${binary}: present (${found})`);
    return;
  }
  step(`${binary}: missing (${why}); installing the Debian package ${aptPackage}`);
  if (aptInstall(aptPackage) && findBinary(binary)) {
    step(`${binary}: installed`);
    return;
  }
  fail(`${binary} is needed (${why}) and could not be installed here.\n${howTo}`);
}

const NATS_SERVER = {
  binary: "nats-server",
  aptPackage: "nats-server",
  why: "the embedded mode runs it as a child process",
  howTo: [
    "Install it one of these ways, then run the command again:",
    "  Debian/Ubuntu:  sudo apt-get install -y nats-server",
    "  any Linux/macOS: download a release from https://github.com/nats-io/nats-server/releases",
    "                   and put the nats-server binary on your PATH",
    "Or point Strata at a running NATS with JetStream: NATS_URL=nats://host:4222 (distributed mode).",
  ].join("\n"),
};

const DOCKER_COMPOSE = {
  binary: "docker-compose",
  aptPackage: "docker-compose",
  why: "the tests validate docker-compose.yml with it; no Docker engine is needed",
  howTo: [
    "Install it, then run the command again:",
    "  Debian/Ubuntu:  sudo apt-get install -y docker-compose",
    "  elsewhere:      pip install docker-compose   (any version that has `config -q`)",
  ].join("\n"),
};

// ---------------------------------------------------------------------------------------------
// handing over to the real command

/** Runs a child until it exits, passing SIGINT/SIGTERM on to it, and exits with its code. */
function handOver(command, args) {
  const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: childEnv() });
  // Keep running until the child is gone: it decides how to shut down (drain, then exit).
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("error", (error) => fail(`could not start ${command}: ${error.message}`));
  child.on("exit", (code, signal) => {
    if (signal) process.exit(128 + (signalNumber(signal) ?? 1));
    process.exit(code ?? 1);
  });
}

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal];
}

// TypeScript runs as `node --import tsx <file>`: one process, so signals (Ctrl-C, SIGTERM) and a
// kill reach the program itself, not a wrapper in front of it as with the tsx command.
function runTypeScript(file, args) {
  if (!existsSync(join(ROOT, "node_modules", "tsx"))) fail("node_modules/tsx is missing after the install");
  handOver(process.execPath, ["--import", "tsx", file, ...args]);
}

// ---------------------------------------------------------------------------------------------

function main() {
  const [command, ...rest] = process.argv.slice(2);
  const commands = ["start", "test", "setup", "bench", "demo"];
  if (!commands.includes(command)) {
    fail(`usage: node scripts/bootstrap.mjs <${commands.join("|")}> [args]`);
  }
  if (command === "bench" && rest.length === 0) fail("usage: node scripts/bootstrap.mjs bench <file.ts>");

  checkNode();
  const pnpm = ensurePnpm();
  ensureNodeModules(pnpm);
  ensureSystemTool(NATS_SERVER);
  if (command === "test" || command === "setup") ensureSystemTool(DOCKER_COMPOSE);

  switch (command) {
    case "setup":
      step("everything is present");
      return;
    case "start":
      step("starting Strata (embedded mode unless NATS_URL is set); Ctrl-C stops it");
      runTypeScript("services/platform/src/main.ts", rest);
      return;
    case "test":
      step("running the checks and the test suite: pnpm run test:run");
      handOver(pnpm[0], [...pnpm.slice(1), "run", "test:run", ...rest]);
      return;
    case "bench":
      step(`running ${rest[0]}`);
      runTypeScript(rest[0], rest.slice(1));
      return;
    case "demo":
      step("running the demo against the platform `npm start` runs");
      runTypeScript("test/demo/demo.ts", rest);
      return;
  }
}

main();
