import { generateApiKeySecret } from "@strata/ids";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test-support/harness.js";
import { expectError } from "./expect-error.js";

const ORG = "org_failed_auth";
const LIMIT = 20;

describe("failed authentications per client address", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ GATEWAY_AUTH_FAILURE_LIMIT: String(LIMIT), GATEWAY_AUTH_FAILURE_WINDOW: "1m" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("answer 401 up to the limit, then 429 with Retry-After without asking the auth service", async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      expectError(await h.request("GET", "/v1/whoami", { key: generateApiKeySecret() }), 401);
    }
    const callsBefore = h.auth.verifyCalls;
    const refused = await h.request("GET", "/v1/whoami", { key: generateApiKeySecret() });
    expectError(refused, 429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Blocked sources cost the auth service nothing, and a valid key from there waits too.
    const valid = h.auth.addKey({ organizationId: ORG, permissions: ["read"] }).secret;
    expectError(await h.request("GET", "/v1/whoami", { key: valid }), 429);
    expect(h.auth.verifyCalls).toBe(callsBefore);
  });
});
