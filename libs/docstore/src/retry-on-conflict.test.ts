import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { CONFLICT, type Conflict, retryOnConflict } from "./index.js";

/** An attempt that reports `conflicts` version conflicts, then `last`; counts its calls. */
function attemptThat(conflicts: number, last: Result<string, AppError | Conflict>) {
  let calls = 0;
  const attempt = async (): Promise<Result<string, AppError | Conflict>> => {
    calls += 1;
    return calls <= conflicts ? err(CONFLICT) : last;
  };
  return { attempt, calls: () => calls };
}

describe("retryOnConflict", () => {
  it("re-runs the attempt after a conflict and returns its success", async () => {
    const { attempt, calls } = attemptThat(2, ok("done"));
    expect(await retryOnConflict(attempt)).toEqual(ok("done"));
    expect(calls()).toBe(3);
  });

  it("returns any other error at once, without retrying", async () => {
    const missing = notFound("namespace", "ns_missing");
    const { attempt, calls } = attemptThat(0, err(missing));
    expect(await retryOnConflict(attempt)).toEqual(err(missing));
    expect(calls()).toBe(1);
  });

  it("gives up after five conflicts with a retryable unavailable error", async () => {
    const { attempt, calls } = attemptThat(Number.POSITIVE_INFINITY, ok("never"));
    const result = await retryOnConflict(attempt);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe("unavailable");
    expect(calls()).toBe(5);
  });
});
