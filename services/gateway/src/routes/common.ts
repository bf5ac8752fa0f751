import { MAX_JSON_DEPTH } from "@strata/contracts";
import { ERROR_TYPES } from "@strata/errors";
import { z } from "zod";

/** The DESIGN §5 error body, documented on every route. */
export const errorBodySchema = z
  .object({
    success: z.literal(false),
    status: z.number().int(),
    error: z.object({
      type: z.enum(ERROR_TYPES).describe("What went wrong, one name per HTTP status"),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).nullable(),
    }),
    request_id: z.string(),
  })
  .meta({ id: "Error" });

/**
 * Every error answer an authenticated route may give. Each route lists them all; the rules in
 * http/route-errors.ts keep only those its shape can really produce (no 413 without a body …).
 */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
  422: errorBodySchema,
  429: errorBodySchema,
  500: errorBodySchema,
  503: errorBodySchema,
} as const;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional().describe(`1 to ${MAX_PAGE_SIZE}`),
  cursor: z.string().min(1).max(1024).optional().describe("next_cursor of the previous page"),
});

/** An RFC 3339 timestamp as the answers write it (toISOString); documented as date-time. */
export const timestamp = z.string().meta({ format: "date-time" });

export function listResponseSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

export const idParamsSchema = z.object({ id: z.string() });

// Header schemas are loose: fastify replaces request.headers with the validated value, and a strict
// or stripping schema would drop Authorization and everything else.
export const namespaceHeaderSchema = z.looseObject({
  "x-namespace": z.string().min(1).max(256).optional().describe("Namespace id (ns_…) or name"),
});

export const idempotencyHeaderSchema = z.looseObject({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe("Retrying with the same key and body returns the first answer (kept 24 h)"),
});

export function isoOrNull(value: Date | undefined): string | null {
  return value === undefined ? null : value.toISOString();
}

/** Proto strings use "" for unset; JSON answers use null. */
export function stringOrNull(value: string | undefined): string | null {
  return value === undefined || value === "" ? null : value;
}

function withinDepth(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object") return true;
  if (depth >= MAX_JSON_DEPTH) return false;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.every((child) => withinDepth(child, depth + 1));
}

/**
 * A free-form JSON object (key attributes, metadata). Nesting is bounded: deeper values would only
 * serve to make recursive code (fingerprints, protobuf Struct encoding) overflow its stack.
 */
export const jsonObjectSchema = z
  .record(z.string(), z.unknown())
  .refine((value) => withinDepth(value, 0), { message: `Nested deeper than ${MAX_JSON_DEPTH} levels` });

/** Only the error answers a route can really give, for its OpenAPI description. */
export function errorsOf<S extends keyof typeof errorResponses>(
  ...statuses: S[]
): Pick<typeof errorResponses, S> {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema])) as Pick<typeof errorResponses, S>;
}
