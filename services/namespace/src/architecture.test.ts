import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The module layout's two rules, checked on the sources (ADR 0011): use cases see only ports and
// pure libs, and a module reaches into another module only through what that module offers: its
// api.ts (functions), tables.ts (records) and ports.ts (types); handlers may also share another
// module's proto mapping (a search hit carries a document message).

const SRC = dirname(fileURLToPath(import.meta.url));
const MODULES = join(SRC, "modules");

/** Libraries that are infrastructure: a use case gets them through its ports, never by import. */
const INFRASTRUCTURE = [
  "@strata/bus",
  "@strata/grpc",
  "@strata/hotindex",
  "@strata/warmindex",
  "@strata/coldstore",
  "@strata/objectstore",
  "@strata/proto",
  "@strata/service-kit",
  "@grpc/grpc-js",
  "nats",
];

/** Every module specifier a source imports or re-exports, static or dynamic. */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^;"'`]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) if (match[1] !== undefined) specifiers.push(match[1]);
  }
  return specifiers;
}

function isInfrastructure(specifier: string): boolean {
  return INFRASTRUCTURE.some((lib) => specifier === lib || specifier.startsWith(`${lib}/`));
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

const isTestFile = (file: string) => file.endsWith(".test.ts") || file.includes("test-support");

/** Use-case files: modules and shared/, without the transport (handlers/, a module's index.ts) and tests. */
function domainFiles(): string[] {
  return [...sourcesUnder(MODULES), ...sourcesUnder(join(SRC, "shared"))].filter((file) => {
    const inModule = relative(MODULES, file).split(sep);
    const isTransport =
      inModule.includes("handlers") || (inModule.length === 2 && inModule[1] === "index.ts");
    return !isTestFile(file) && !isTransport;
  });
}

/** The module a file belongs to, or undefined outside src/modules. */
function moduleOf(file: string): string | undefined {
  const parts = relative(MODULES, file).split(sep);
  return parts[0] === ".." || parts.length < 2 ? undefined : parts[0];
}

describe("importsOf", () => {
  it("finds static, type-only, re-exported, side-effect and dynamic imports", () => {
    const source = [
      'import { MAX_K } from "@strata/hotindex";',
      'import type {\n  ObjectStore,\n} from "@strata/objectstore";',
      'export { x } from "./x.js";',
      'import "nats";',
      'const bus = await import("@strata/bus");',
    ].join("\n");
    expect(importsOf(source)).toEqual(
      expect.arrayContaining(["@strata/hotindex", "@strata/objectstore", "./x.js", "nats", "@strata/bus"]),
    );
    expect(importsOf(source).filter(isInfrastructure)).toHaveLength(4);
  });
});

describe("namespace modules", () => {
  it("every module has its ports and its registration", () => {
    const modules = readdirSync(MODULES, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(modules.map((m) => m.name).sort()).toEqual([
      "batches",
      "buckets",
      "clones",
      "collections",
      "documents",
      "namespaces",
      "search",
      "taxonomies",
      "tiers",
    ]);
    for (const module of modules) {
      const files = readdirSync(join(MODULES, module.name));
      // clones serves no gRPC yet (its routes are to come, ADR 0024): no handlers folder until then.
      const required =
        module.name === "clones" ? ["index.ts", "ports.ts"] : ["index.ts", "ports.ts", "handlers"];
      expect(files, module.name).toEqual(expect.arrayContaining(required));
    }
  });

  it("no use case imports an infrastructure lib", () => {
    const files = domainFiles();
    expect(files.length).toBeGreaterThan(50);
    const offences = files.flatMap((file) =>
      importsOf(readFileSync(file, "utf8"))
        .filter(isInfrastructure)
        .map((specifier) => `${relative(SRC, file)} imports ${specifier}`),
    );
    expect(offences).toEqual([]);
  });

  it("a module reaches another module only through its api.ts, tables.ts, ports.ts or proto mapping", () => {
    const sources = [...sourcesUnder(MODULES), ...sourcesUnder(join(SRC, "shared"))].filter(
      (file) => !isTestFile(file),
    );
    const offences = sources.flatMap((file) =>
      importsOf(readFileSync(file, "utf8"))
        .filter((specifier) => specifier.startsWith("."))
        .map((specifier) => resolve(dirname(file), specifier))
        .filter((target) => {
          const to = moduleOf(target);
          if (to === undefined || to === moduleOf(file)) return false;
          const entry = relative(join(MODULES, to), target);
          const fromHandler = relative(MODULES, file).split(sep).includes("handlers");
          const mapping = fromHandler && /^handlers\/[a-z-]+-mapping\.js$/.test(entry);
          return !mapping && !["api.js", "tables.js", "ports.js"].includes(entry);
        })
        .map((target) => `${relative(SRC, file)} imports ${relative(SRC, target)}`),
    );
    expect(offences).toEqual([]);
  });
});
