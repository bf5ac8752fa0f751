import { z } from "zod";

/**
 * Field builders for env schemas. Each takes the raw string (or undefined when unset), applies its
 * default, and reports a readable problem otherwise. Without a default a field is required; make it
 * optional with `.optional()`. Values are quoted in messages only where they cannot be secrets.
 */

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function envField<T>(parse: (raw: string) => Parsed<T>, fallback: T | undefined) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      // Blank is unset here too, for schemas parsed without loadConfig.
      if (raw === undefined || raw.trim() === "") {
        if (fallback !== undefined) return fallback;
        ctx.addIssue({ code: "custom", message: "is required but not set" });
        return z.NEVER;
      }
      const parsed = parse(raw.trim());
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    });
}

/** Quotes a short, non-secret value for an error message. */
function shown(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

const INTEGER = /^[+-]?\d+$/;

export function envInt(fallback?: number, range: { min?: number; max?: number } = {}) {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  return envField((raw) => {
    const value = Number(raw);
    if (!INTEGER.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      return { ok: false, message: `must be an integer from ${min} to ${max}, got ${shown(raw)}` };
    }
    return { ok: true, value };
  }, fallback);
}

/** A TCP port; 0 asks the OS for a free one. */
export function envPort(fallback?: number) {
  return envField((raw) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value > 65_535) {
      return { ok: false, message: `must be a port from 0 to 65535 (0 = any free port), got ${shown(raw)}` };
    }
    return { ok: true, value };
  }, fallback);
}

const TRUE = new Set(["true", "1", "yes"]);
const FALSE = new Set(["false", "0", "no"]);

export function envBool(fallback?: boolean) {
  return envField((raw) => {
    const lower = raw.toLowerCase();
    if (TRUE.has(lower)) return { ok: true, value: true };
    if (FALSE.has(lower)) return { ok: true, value: false };
    return { ok: false, message: `must be one of true, false, 1, 0, yes, no, got ${shown(raw)}` };
  }, fallback);
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** "500ms", "30s", "5m", "1h" or a plain number of milliseconds → milliseconds. */
export function envDurationMs(fallback?: number) {
  return envField((raw) => {
    const match = DURATION.exec(raw);
    const amount = match?.[1];
    if (match === null || amount === undefined) {
      return {
        ok: false,
        message: `must be a duration like 500ms, 30s, 5m, 1h or a number of ms, got ${shown(raw)}`,
      };
    }
    const unit = (match[2] ?? "ms").toLowerCase();
    const value = Math.round(Number(amount) * (UNIT_MS[unit] ?? 1));
    if (!Number.isSafeInteger(value))
      return { ok: false, message: `is too long a duration, got ${shown(raw)}` };
    return { ok: true, value };
  }, fallback);
}

/** An absolute URL, returned as written (URLs may carry credentials, so never echoed). */
export function envUrl(options: { default?: string; protocols?: readonly string[] } = {}) {
  const { protocols } = options;
  return envField((raw) => {
    if (!URL.canParse(raw)) return { ok: false, message: "must be an absolute URL" };
    const protocol = new URL(raw).protocol.replace(/:$/, "");
    if (protocols && !protocols.includes(protocol)) {
      return { ok: false, message: `must be a ${protocols.join(" or ")} URL, got a ${protocol} URL` };
    }
    return { ok: true, value: raw };
  }, options.default);
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function envLogLevel(fallback: LogLevel = "info") {
  return envEnum(LOG_LEVELS, fallback);
}

/** One of a fixed set of words, case-insensitive. */
export function envEnum<const V extends string>(values: readonly V[], fallback?: V) {
  return envField((raw): Parsed<V> => {
    const lower = raw.toLowerCase();
    const value = values.find((candidate) => candidate.toLowerCase() === lower);
    return value === undefined
      ? { ok: false, message: `must be one of ${values.join(", ")}, got ${shown(raw)}` }
      : { ok: true, value };
  }, fallback);
}

/** Comma-separated words → string[], blanks dropped ("a, b,," → ["a", "b"]). */
export function envList(fallback: readonly string[] = []) {
  return envField(
    (raw): Parsed<string[]> => ({
      ok: true,
      value: raw
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    }),
    [...fallback],
  );
}

/** Free text, trimmed. Never quoted in messages, so fit for tokens and passwords. */
export function envString(options: { default?: string; minLength?: number } = {}) {
  const { minLength = 1 } = options;
  return envField((raw): Parsed<string> => {
    if (raw.length < minLength)
      return { ok: false, message: `must be at least ${minLength} characters long` };
    return { ok: true, value: raw };
  }, options.default);
}

/** host:port of a gRPC service (no scheme), as grpc-js client constructors take it. */
export function envHostPort() {
  return envString().refine((value) => /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(value), {
    message: "must be host:port",
  });
}
