import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  envBool,
  envDurationMs,
  envEnum,
  envInt,
  envList,
  envLogLevel,
  envPort,
  envString,
  envUrl,
} from "./fields.js";
import { ConfigError, loadConfig } from "./load-config.js";

const schema = z.object({
  STRATA_PORT: envPort(8080),
  STRATA_DEBUG: envBool(false),
  STRATA_WORKERS: envInt(4, { min: 1, max: 64 }),
  STRATA_TIMEOUT: envDurationMs(30_000),
  STRATA_NATS_URL: envUrl({ default: "nats://127.0.0.1:4222", protocols: ["nats", "tls"] }),
  STRATA_OTLP_ENDPOINT: envUrl().optional(),
  STRATA_LOG_LEVEL: envLogLevel(),
  STRATA_SERVICES: envList(["gateway"]),
  STRATA_INTERNAL_TOKEN: envString({ minLength: 16 }),
});

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(schema, env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("loadConfig accepted the environment");
}

const TOKEN = "a-long-enough-internal-token";

describe("loadConfig", () => {
  it("applies defaults", () => {
    expect(loadConfig(schema, { STRATA_INTERNAL_TOKEN: TOKEN })).toEqual({
      STRATA_PORT: 8080,
      STRATA_DEBUG: false,
      STRATA_WORKERS: 4,
      STRATA_TIMEOUT: 30_000,
      STRATA_NATS_URL: "nats://127.0.0.1:4222",
      STRATA_OTLP_ENDPOINT: undefined,
      STRATA_LOG_LEVEL: "info",
      STRATA_SERVICES: ["gateway"],
      STRATA_INTERNAL_TOKEN: TOKEN,
    });
  });

  it("parses given values", () => {
    const config = loadConfig(schema, {
      STRATA_PORT: "0",
      STRATA_DEBUG: "YES",
      STRATA_WORKERS: "64",
      STRATA_TIMEOUT: "5m",
      STRATA_NATS_URL: "tls://nats.internal:4222",
      STRATA_OTLP_ENDPOINT: "http://collector:4318/v1/traces",
      STRATA_LOG_LEVEL: "DEBUG",
      STRATA_SERVICES: " auth, gateway ,,namespace ",
      STRATA_INTERNAL_TOKEN: ` ${TOKEN} `,
      UNRELATED: "ignored",
    });
    expect(config).toEqual({
      STRATA_PORT: 0,
      STRATA_DEBUG: true,
      STRATA_WORKERS: 64,
      STRATA_TIMEOUT: 300_000,
      STRATA_NATS_URL: "tls://nats.internal:4222",
      STRATA_OTLP_ENDPOINT: "http://collector:4318/v1/traces",
      STRATA_LOG_LEVEL: "debug",
      STRATA_SERVICES: ["auth", "gateway", "namespace"],
      STRATA_INTERNAL_TOKEN: TOKEN,
    });
  });

  it("treats empty and blank values as unset", () => {
    const config = loadConfig(schema, {
      STRATA_PORT: "",
      STRATA_DEBUG: "  ",
      STRATA_OTLP_ENDPOINT: "",
      STRATA_INTERNAL_TOKEN: TOKEN,
    });
    expect(config.STRATA_PORT).toBe(8080);
    expect(config.STRATA_DEBUG).toBe(false);
    expect(config.STRATA_OTLP_ENDPOINT).toBeUndefined();
    expect(failure({ STRATA_INTERNAL_TOKEN: "" }).issues).toEqual([
      { variable: "STRATA_INTERNAL_TOKEN", message: "is required but not set" },
    ]);
  });

  it("reports every problem at once, one per line", () => {
    const error = failure({
      STRATA_PORT: "70000",
      STRATA_DEBUG: "maybe",
      STRATA_WORKERS: "0",
      STRATA_TIMEOUT: "soon",
      STRATA_NATS_URL: "http://user:hunter2@nats:4222",
      STRATA_OTLP_ENDPOINT: "not a url",
      STRATA_LOG_LEVEL: "loud",
      STRATA_INTERNAL_TOKEN: "short-secret",
    });
    expect(error.issues.map((issue) => issue.variable)).toEqual([
      "STRATA_PORT",
      "STRATA_DEBUG",
      "STRATA_WORKERS",
      "STRATA_TIMEOUT",
      "STRATA_NATS_URL",
      "STRATA_OTLP_ENDPOINT",
      "STRATA_LOG_LEVEL",
      "STRATA_INTERNAL_TOKEN",
    ]);
    const lines = error.message.split("\n");
    expect(lines[0]).toBe("Invalid configuration (8 problems):");
    expect(lines).toHaveLength(9);
    expect(lines).toContain('  STRATA_PORT: must be a port from 0 to 65535 (0 = any free port), got "70000"');
    expect(lines).toContain('  STRATA_WORKERS: must be an integer from 1 to 64, got "0"');
    expect(lines).toContain("  STRATA_NATS_URL: must be a nats or tls URL, got a http URL");
    // Secrets never appear in the message.
    expect(error.message).not.toContain("hunter2");
    expect(error.message).not.toContain("short-secret");
  });

  it("names a missing required variable", () => {
    const required = z.object({ STRATA_MONGO_URL: envUrl(), NAME: z.string() });
    try {
      loadConfig(required, {});
      expect.unreachable();
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(
        [
          "Invalid configuration (2 problems):",
          "  STRATA_MONGO_URL: is required but not set",
          "  NAME: is required but not set",
        ].join("\n"),
      );
    }
  });
});

describe("field builders", () => {
  const parse = <T>(field: z.ZodType<T, string | undefined>, raw: string | undefined) => field.safeParse(raw);

  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["250", 250],
    ["1.5s", 1_500],
  ])("envDurationMs reads %s", (raw, ms) => {
    expect(parse(envDurationMs(), raw)).toMatchObject({ success: true, data: ms });
  });

  it.each(["-1s", "1d", "s", "1.2.3s"])("envDurationMs rejects %s", (raw) => {
    expect(parse(envDurationMs(), raw).success).toBe(false);
  });

  it.each(["-1", "65536", "80.5", "http", "1e3"])("envPort rejects %s", (raw) => {
    expect(parse(envPort(), raw).success).toBe(false);
  });

  it("envPort accepts the whole range", () => {
    expect(parse(envPort(), "0")).toMatchObject({ data: 0 });
    expect(parse(envPort(), "65535")).toMatchObject({ data: 65_535 });
  });

  it.each([
    ["true", true],
    ["1", true],
    ["Yes", true],
    ["FALSE", false],
    ["0", false],
    ["no", false],
  ])("envBool reads %s", (raw, value) => {
    expect(parse(envBool(), raw)).toMatchObject({ success: true, data: value });
  });

  it("envBool rejects other words", () => {
    expect(parse(envBool(true), "on").success).toBe(false);
  });

  it("envInt enforces its range and integers", () => {
    expect(parse(envInt(undefined, { min: -5, max: 5 }), "-5")).toMatchObject({ data: -5 });
    expect(parse(envInt(undefined, { max: 5 }), "6").success).toBe(false);
    expect(parse(envInt(), "1.5").success).toBe(false);
    expect(parse(envInt(), "99999999999999999999").success).toBe(false);
  });

  it("envEnum matches case-insensitively and returns the declared spelling", () => {
    expect(parse(envEnum(["sqlite", "mongodb"] as const), "MongoDB")).toMatchObject({ data: "mongodb" });
    expect(parse(envEnum(["sqlite", "mongodb"] as const), "postgres").success).toBe(false);
  });

  it("builders without a default are required; blank counts as unset", () => {
    expect(parse(envInt(), undefined).success).toBe(false);
    expect(parse(envInt(3), " ")).toMatchObject({ data: 3 });
    expect(parse(envList(), undefined)).toMatchObject({ data: [] });
  });
});
