import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { RefusedRequest } from "../http/refused-request.js";
import { manifestBodyOfMultipart } from "./manifest-multipart.js";

/**
 * The manifest routes' body. JSON bodies state it directly; a YAML body (application/yaml,
 * text/yaml) is the manifest itself; a multipart body carries it in `manifest_file` with the options
 * as further fields. The parsers below turn the latter two into this shape, so one schema checks all.
 */
export const manifestBodySchema = z.strictObject({
  manifest: z
    .union([
      z
        .string()
        .min(1)
        .max(4 * 1024 * 1024),
      z.record(z.string(), z.unknown()),
    ])
    .describe("The manifest: an object, or its YAML or JSON text"),
  secrets: z
    .record(z.string().min(1).max(128), z.string().max(8192))
    .optional()
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest's secret reference syntax, not a template
    .describe("Values for `${{ secrets.NAME }}` references; never stored or logged"),
  prune: z
    .boolean()
    .optional()
    .describe("Delete resources earlier applies created that the manifest no longer lists"),
  dry_run: z.boolean().optional().describe("Apply only: plan, change nothing"),
  expected_plan_hash: z
    .string()
    .max(128)
    .optional()
    .describe("Apply only: refuse (409) unless the plan computed now has this hash"),
});

export type ManifestBody = z.infer<typeof manifestBodySchema>;

export const manifestQuerySchema = z.strictObject({
  prune: z.enum(["true", "false"]).optional(),
  dry_run: z.enum(["true", "false"]).optional(),
  expected_plan_hash: z.string().max(128).optional(),
});

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml"];

/** In `scope` only: YAML and multipart bodies, parsed into the manifest body's shape. */
export function acceptManifestBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser(YAML_TYPES, { parseAs: "string" }, (_request, body, done) => {
    done(null, { manifest: String(body) });
  });
  scope.addContentTypeParser("multipart/form-data", { parseAs: "buffer" }, (request, body, done) => {
    const read = manifestBodyOfMultipart(body as Buffer, request.headers["content-type"] ?? "");
    if (read.ok) done(null, read.value);
    else done(new RefusedRequest(read.error), undefined);
  });
}

/** The document text and its format as the manifest service takes them (problems keep their lines). */
export function documentOf(manifest: ManifestBody["manifest"]): { document: string; json: boolean } {
  // YAML is a superset of JSON: text is parsed as YAML, so either kind reports its lines.
  return typeof manifest === "string"
    ? { document: manifest, json: false }
    : { document: JSON.stringify(manifest, null, 2), json: true };
}
