import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { REDACTED_API_KEY, redactSecrets } from "./redact.js";

const KEY = "sk_live_3xQ9aZpLmN8vR2tY6wK4cB7dF1gH5jS0uE9iO2pA3sD4fG";

function capture(level?: string) {
  const lines: string[] = [];
  const logger = createLogger({
    service: "auth",
    ...(level === undefined ? {} : { level }),
    destination: { write: (line: string) => void lines.push(line) },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe("createLogger", () => {
  it("writes one JSON record per line with the service and a level name", () => {
    const { logger, lines, records } = capture();
    logger.info({ namespaceId: "ns_1" }, "namespace created");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("\n")).toBe(true);
    expect(records()[0]).toMatchObject({
      service: "auth",
      level: "info",
      msg: "namespace created",
      namespaceId: "ns_1",
    });
  });

  it("adds the mixin's fields to every record", () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: "auth",
      mixin: () => ({ trace_id: "abc123", absent: undefined }),
      destination: { write: (line: string) => void lines.push(line) },
    });
    logger.info("one");
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ trace_id: "abc123" });
    expect(lines[0]).not.toContain("absent");
  });

  it("honours the level", () => {
    const { logger, lines } = capture("warn");
    logger.info("hidden");
    logger.warn("shown");
    expect(lines).toHaveLength(1);
  });

  it("censors secret fields by path", () => {
    const { logger, lines, records } = capture();
    logger.info(
      {
        req: { headers: { authorization: "Bearer abc.def", "x-strata-internal-token": "tok-123" } },
        headers: { "x-strata-internal-token": "tok-456" },
        body: { api_key: "raw-key-1", secret: "whsec-1", password: "hunter2", token: "t-1" },
        config: { internalToken: "tok-789" },
        password: "top-level-pw",
      },
      "request",
    );
    const output = lines.join("");
    for (const secret of [
      "abc.def",
      "tok-123",
      "tok-456",
      "raw-key-1",
      "whsec-1",
      "hunter2",
      "t-1",
      "tok-789",
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toContain("top-level-pw");
    expect(records()[0]).toMatchObject({
      req: { headers: { authorization: "[redacted]" } },
      body: { api_key: "[redacted]", password: "[redacted]" },
    });
  });

  it("scrubs API keys from the message, any nested field, errors and child bindings", () => {
    const { logger, lines } = capture();
    logger.info(`verifying ${KEY} now`);
    logger.info({ deep: { deeper: { deepest: [`key=${KEY}`] } } }, "nested");
    logger.error({ err: new Error(`rejected ${KEY}`) }, "failed");
    logger.child({ presented: KEY }).warn("child");
    logger.info("%s was used", KEY);

    expect(lines).toHaveLength(5);
    const output = lines.join("");
    expect(output).not.toContain(KEY);
    // Nothing of the secret part survives, not even a prefix of it.
    expect(output).not.toContain("3xQ9");
    expect(output.split(REDACTED_API_KEY).length - 1).toBeGreaterThanOrEqual(6);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe("redactSecrets", () => {
  it("replaces every key and keeps the rest of the text", () => {
    expect(redactSecrets(`a ${KEY} b ${KEY}.`)).toBe(`a ${REDACTED_API_KEY} b ${REDACTED_API_KEY}.`);
  });

  it("leaves text without keys unchanged", () => {
    expect(redactSecrets("sk_test is not ours; neither is live_")).toBe(
      "sk_test is not ours; neither is live_",
    );
  });

  it("redacts a truncated key too", () => {
    expect(redactSecrets('"sk_live_ab"')).toBe(`"${REDACTED_API_KEY}"`);
  });
});
