import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as limits from "./limits.js";

// Guard: each shared limit, enum list and the feature-URI grammar is written in one place. It scans
// the production sources (services/*/src, libs/*/src; no tests, test support or generated code) for
// the ways they used to be copied: an enum list spelled out, the URI pattern, a limit's value where
// a limit is checked (`.max(4096)`, `> 10_000`, `{1,4096}`, `X_MAX = …`), or a constant named after a
// shared limit bound to a number.

const ROOT = resolve(import.meta.dirname, "../../..");

interface Source {
  readonly path: string;
  readonly text: string;
}

interface Finding {
  readonly path: string;
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

/** Other rules that happen to share a number with a shared limit; each says why it is not one. */
const SAME_NUMBER_OTHER_RULE: ReadonlyArray<{ path: string; snippet: string; why: string }> = [
  {
    path: "services/auth/src/domain/key-input.ts",
    snippet: "ATTRIBUTES_MAX_BYTES = 4096",
    why: "bytes of a key's attributes, not dimensions",
  },
  {
    path: "libs/docstore/src/pagination.ts",
    snippet: "{1,4096}",
    why: "the length of a page cursor",
  },
  {
    path: "libs/filter/src/limits.ts",
    snippet: "MAX_STRING_LENGTH = 4_096",
    why: "characters of a string value in a filter; the filter grammar's own limit",
  },
  {
    path: "libs/hotindex/src/embedded/space-search.ts",
    snippet: "MAX_GRAPH_CANDIDATES = 4_096",
    why: "a tuning bound of the embedded index's graph search",
  },
  {
    path: "services/webhook-dispatcher/src/domain/run-attempt.ts",
    snippet: "this.opened.size >= 10_000",
    why: "webhook secrets a dispatcher replica keeps decrypted in memory, a cache bound",
  },
  {
    path: "services/namespace/src/modules/collections/update-collection.ts",
    snippet: "SCHEMA_CHANGE_MAX_DOCUMENTS = 10_000",
    why: "documents one schema change re-validates in a transaction; the namespace service's own rule",
  },
];

const HOMES: Readonly<Record<string, string>> = {
  limit: "libs/contracts/src/",
  "tier list": "libs/contracts/src/",
  "metric list": "libs/contracts/src/",
  "feature-URI grammar": "libs/contracts/src/",
  "permission list": "libs/access/src/",
};

const LIST_RULES: ReadonlyArray<{ rule: string; pattern: RegExp }> = [
  { rule: "tier list", pattern: /["'`]hot["'`]\s*[,|]\s*["'`]warm["'`]/ },
  { rule: "metric list", pattern: /["'`]cosine["'`]\s*[,|]\s*["'`]euclidean["'`]/ },
  {
    rule: "permission list",
    pattern: /["'`]read["'`]\s*[,|]\s*["'`]write["'`]\s*[,|]\s*["'`]admin["'`]/,
  },
  { rule: "feature-URI grammar", pattern: /\(strata\|mixpeek\)|\(mixpeek\|strata\)|\[a-z0-9\]\[a-z0-9_-\]/ },
];

/** Values too common to scan for (8, 16, 256, 1000) are guarded by name only. */
const DISTINCTIVE_VALUES = [limits.MAX_DIMENSIONS, limits.MAX_BATCH_DOCUMENTS, limits.MAX_TAXONOMY_NODES];

/** What a shared limit's constant was (or would be) called, besides max/limit. */
const LIMIT_NAMES =
  /dimension|acl|principal|top_?k|taxonom|batch_?doc|max_?batch|batch_?max|json_?depth|query_?text|retriever_?collections/i;

function numberLiteral(value: number): string {
  // 10000 is also written 10_000 or 10_0_00.
  return `(?<![\\w.])${[...String(value)].join("_?")}(?![\\w.])`;
}

function valuePatterns(value: number): RegExp[] {
  const n = numberLiteral(value);
  return [
    new RegExp(`\\.(?:max|min|length|lte|lt|gte|gt)\\(\\s*${n}`),
    new RegExp(`(?:<=?|>=?)\\s*${n}`),
    new RegExp(`\\{\\d*,\\s*${n}\\}`),
    new RegExp(`\\b\\w*(?:max|limit|MAX|LIMIT|Max|Limit)\\w*\\s*(?::[^=;]*)?[=:]\\s*${n}`),
  ];
}

const NAMED_NUMBER = /\b([A-Za-z_$][\w$]*)\s*(?::\s*[\w<>[\]|. ]+?)?\s*[=:]\s*\d[\d_]*(?![\w.])/g;

function ruleBroken(line: string): string | undefined {
  for (const { rule, pattern } of LIST_RULES) if (pattern.test(line)) return rule;
  if (DISTINCTIVE_VALUES.some((v) => valuePatterns(v).some((p) => p.test(line)))) return "limit";
  for (const match of line.matchAll(NAMED_NUMBER)) {
    const name = match[1] ?? "";
    // maxDepth: a JsonLimits literal (the filter lib's MAX_DEPTH is its own grammar's rule).
    if (name === "maxDepth" || (/max|limit/i.test(name) && LIMIT_NAMES.test(name))) return "limit";
  }
  return undefined;
}

function findRedefinitions(sources: readonly Source[]): Finding[] {
  const findings: Finding[] = [];
  for (const { path, text } of sources) {
    text.split("\n").forEach((line, i) => {
      const rule = ruleBroken(line);
      if (rule === undefined || path.startsWith(HOMES[rule] ?? "")) return;
      if (SAME_NUMBER_OTHER_RULE.some((e) => e.path === path && line.includes(e.snippet))) return;
      findings.push({ path, line: i + 1, rule, text: line.trim() });
    });
  }
  return findings;
}

const SKIPPED_DIRS = new Set(["node_modules", "gen", "testing", "test-support", "tests", "contract"]);
const TEST_FILE = /\.(test|contract)\.ts$|test-support\.ts$|harness\.ts$/;

function productionSources(): Source[] {
  const sources: Source[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(full);
      } else if (name.endsWith(".ts") && !TEST_FILE.test(name)) {
        sources.push({ path: relative(ROOT, full), text: readFileSync(full, "utf8") });
      }
    }
  };
  for (const top of ["services", "libs"]) {
    for (const pkg of readdirSync(join(ROOT, top))) {
      const src = join(ROOT, top, pkg, "src");
      if (statSync(join(ROOT, top, pkg)).isDirectory() && existsDir(src)) walk(src);
    }
  }
  return sources;
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

describe("one home for each rule and limit", () => {
  it("scans the production sources of every service and lib", () => {
    const paths = productionSources().map((s) => s.path);
    expect(paths).toContain("services/gateway/src/routes/documents.ts");
    expect(paths).toContain("libs/hotindex/src/validate.ts");
    expect(paths.some((p) => p.includes("/gen/") || p.endsWith(".test.ts"))).toBe(false);
  });

  it("finds no shared limit, enum list or URI grammar written outside its home", () => {
    expect(findRedefinitions(productionSources())).toEqual([]);
  });

  // The duplicates this guard replaced, as they were written: each must be found again.
  it.each([
    ["services/gateway/src/routes/document-view.ts", "const MAX_DIMENSIONS = 4096;"],
    ["services/gateway/src/routes/collections.ts", "  dimensions: z.number().int().min(1).max(4096),"],
    ["services/gateway/src/routes/retriever-view.ts", "export const MAX_QUERY_DIMENSIONS = 4096;"],
    ["libs/hotindex/src/validate.ts", "export const MAX_DIMENSIONS = 4096;"],
    ["services/gateway/src/routes/batches.ts", "export const MAX_BATCH_DOCUMENTS = 10_000;"],
    ["services/namespace/src/modules/batches/tables.ts", "export const BATCH_MAX_DOCUMENTS = 10_000;"],
    ["services/gateway/src/routes/taxonomies.ts", "  .max(10_000);"],
    ["services/acl-query/src/domain/query-vector.ts", "if (text.length > 10000) return"],
    ["services/gateway/src/routes/common.ts", "const MAX_JSON_DEPTH = 8;"],
    [
      "services/namespace/src/modules/documents/document-input.ts",
      "export const METADATA_LIMITS: JsonLimits = { maxDepth: 16, maxBytes: 65_536 };",
    ],
    ["services/namespace/src/modules/documents/document-input.ts", "export const ACL_LIST_MAX = 1000;"],
    ["services/namespace/src/modules/documents/document-input.ts", "export const PRINCIPAL_MAX = 256;"],
    ["services/acl-query/src/domain/retrievers/retriever-input.ts", "export const TOP_K_MAX = 1000;"],
    ["services/acl-query/src/domain/query-vector.ts", "const QUERY_TEXT_MAX = 10_000;"],
    [
      "services/gateway/src/routes/document-view.ts",
      'export const TIERS = ["hot", "warm", "cold", "archive"] as const;',
    ],
    [
      "services/acl-query/src/domain/namespace-data.ts",
      'export type Tier = "hot" | "warm" | "cold" | "archive";',
    ],
    ["libs/events/src/catalog.ts", 'const tier = z.enum(["hot", "warm", "cold", "archive"]);'],
    ["libs/hotindex/src/port.ts", 'export type Metric = "cosine" | "euclidean" | "dot";'],
    [
      "services/gateway/src/routes/api-key-view.ts",
      'export const permissionSchema = z.enum(["read", "write", "admin"]);',
    ],
    [
      "services/acl-query/src/domain/feature-uri.ts",
      "  /^(strata|mixpeek):\\/\\/([a-z0-9][a-z0-9_-]{0,63})@([A-Za-z0-9][A-Za-z0-9._-]{0,31})\\/([a-z0-9][a-z0-9_-]{0,63})$/;",
    ],
  ])("finds a limit re-added in %s: %s", (path, line) => {
    expect(findRedefinitions([{ path, text: `// before\n${line}\n` }])).toEqual([
      expect.objectContaining({ path, line: 2 }),
    ]);
  });

  it("leaves the homes, other rules that share a number and unrelated numbers alone", () => {
    const lines = [
      ["libs/contracts/src/limits.ts", "export const MAX_DIMENSIONS = 4096;"],
      ["libs/access/src/caller.ts", 'export const PERMISSIONS = ["read", "write", "admin"] as const;'],
      ["services/auth/src/domain/key-input.ts", "const ATTRIBUTES_MAX_BYTES = 4096;"],
      ["libs/ids/src/prefixes.ts", "const POOL_BYTES = 4096;"],
      ["services/acl-query/src/domain/retrievers/retriever-input.ts", "export const TOP_K_DEFAULT = 10;"],
      ["libs/filter/src/limits.ts", "export const MAX_DEPTH = 8;"],
      ["services/gateway/src/routes/common.ts", '"x-namespace": z.string().min(1).max(256).optional(),'],
      ["services/gateway/src/config.ts", "GATEWAY_GRPC_DEADLINE: envDurationMs(10_000),"],
    ];
    expect(findRedefinitions(lines.map(([path = "", text = ""]) => ({ path, text })))).toEqual([]);
  });
});
