#!/usr/bin/env node
// `buf breaking` for proto/ against the contracts of the last landed commit: the merge base with
// main on a branch, the previous commit on main (STRATA_BREAKING_AGAINST=<git ref> picks another).
// The working tree is what is checked, so uncommitted edits count too.
//
// A breaking change fails the check unless it is deliberate and recorded: the same change adds a
// line `- ADR NNNN: <what breaks and why>` to proto/BREAKING.md, naming an ADR that exists in
// docs/adr. The commit that adds the line is the record's commit (`git log proto/BREAKING.md`).
// Without history to compare with (a shallow clone, a first commit) it says so and passes.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const buf = join(root, "node_modules/.bin/buf");
const RECORD = "proto/BREAKING.md";

function git(...args) {
  const run = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

function commitOf(ref) {
  return git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
}

/** The commit to compare with, and how it was chosen; undefined when history is missing. */
function baseline() {
  const asked = process.env.STRATA_BREAKING_AGAINST;
  if (asked !== undefined && asked !== "") {
    const commit = commitOf(asked);
    if (commit === undefined) {
      console.error(`buf breaking: STRATA_BREAKING_AGAINST=${asked} names no commit in this repository`);
      process.exit(1);
    }
    return { commit, why: `STRATA_BREAKING_AGAINST=${asked}` };
  }
  const head = commitOf("HEAD");
  if (head === undefined) return undefined;
  for (const main of ["main", "origin/main"]) {
    if (commitOf(main) === undefined) continue;
    const base = git("merge-base", "HEAD", main);
    if (base !== undefined && base !== head) return { commit: base, why: `the merge base with ${main}` };
  }
  const previous = commitOf("HEAD~1");
  return previous === undefined ? undefined : { commit: previous, why: "the previous commit (HEAD~1)" };
}

/** The record's ADR lines that are new since `commit`, each checked against docs/adr. */
function newRecords(commit) {
  const lines = (text) => text.split("\n").filter((line) => /^- ADR \d{4}: \S/.test(line));
  const before = new Set(lines(git("show", `${commit}:${RECORD}`) ?? ""));
  const now = existsSync(join(root, RECORD)) ? lines(readFileSync(join(root, RECORD), "utf8")) : [];
  const adrs = readdirSync(join(root, "docs/adr"));
  return now
    .filter((line) => !before.has(line))
    .map((line) => {
      const number = line.slice("- ADR ".length, "- ADR ".length + 4);
      return { line, adr: adrs.find((name) => name.startsWith(`${number}-`)) };
    });
}

const base = baseline();
if (base === undefined) {
  console.log(
    "buf breaking: skipped, there is no earlier commit to compare with (a shallow clone or a first " +
      "commit); `git fetch --unshallow` (or --deepen=1) gives the check its baseline.",
  );
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), "strata-breaking-"));
try {
  // The baseline's module as files (buf.yaml + proto/): works in worktrees and needs no clone.
  const archive = execFileSync("git", ["archive", base.commit, "buf.yaml", "proto"], { cwd: root });
  execFileSync("tar", ["-x", "-C", scratch], { input: archive });
  const check = spawnSync(buf, ["breaking", "--against", scratch], { cwd: root, encoding: "utf8" });
  const findings = `${check.stdout}${check.stderr}`.trim();
  const short = base.commit.slice(0, 12);
  if (check.status === 0) {
    console.log(`buf breaking: no breaking change against ${short} (${base.why})`);
    process.exit(0);
  }
  if (check.status !== 100) {
    // 100 is buf's "found breaking changes"; anything else is buf failing to run.
    console.error(`buf breaking could not run against ${short} (${base.why}):\n${findings}`);
    process.exit(1);
  }
  const records = newRecords(base.commit);
  const unknown = records.filter((record) => record.adr === undefined);
  if (records.length > 0 && unknown.length === 0) {
    console.log(`buf breaking: breaking changes against ${short} (${base.why}), recorded as deliberate:`);
    for (const record of records) console.log(`  ${record.line}  (docs/adr/${record.adr})`);
    console.log(findings);
    process.exit(0);
  }
  console.error(`buf breaking: breaking changes against ${short} (${base.why}):\n${findings}\n`);
  for (const record of unknown) console.error(`${RECORD}: "${record.line}" names no ADR in docs/adr`);
  console.error(
    "Old clients would break. Keep the contract compatible (a new field or method instead of a " +
      `changed one), or, if it is deliberate, write the ADR and add "- ADR NNNN: <what breaks>" to ${RECORD}.`,
  );
  process.exit(1);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
