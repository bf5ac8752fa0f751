import { rm, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, CloneFixture, expectStatus, SOURCE } from "./clone-fixture.js";
import { expectErrorBody, waitUntil } from "./harness.js";

// What a clone refuses, and the `strata namespace clone` CLI following a copy. The source is
// as clone-copy.test.ts leaves it (one document more, no taxonomy): the CLI's progress line names it.

let f: CloneFixture;

beforeAll(async () => {
  f = await CloneFixture.start();
  await f.seed();
  await f.changeSource();
}, 300_000);

afterAll(async () => {
  await f?.stop();
});

describe("namespace clones through the gateway: refusals and the CLI", () => {
  it("refuses bad bodies, taken names, unknown or out-of-reach sources and keys without admin", async () => {
    const clone = (body: unknown, source = SOURCE, key?: string) =>
      f.platform.call("POST", `/v1/namespaces/${source}/clone`, {
        body,
        ...(key === undefined ? {} : { key }),
      });
    expectErrorBody(await clone({}), 422, "ValidationError");
    expectErrorBody(await clone({ namespace_name: "x", extra: 1 }), 422, "ValidationError");
    expectErrorBody(await clone({ namespace_name: "x", include_webhooks: "yes" }), 422, "ValidationError");
    expectErrorBody(await clone("not json"), 400, "BadRequestError");
    expectErrorBody(await clone({ namespace_name: "bad name!" }), 422, "ValidationError");
    const taken = expectErrorBody(await clone({ namespace_name: SOURCE }), 409, "AlreadyExistsError");
    expect(taken.details).toMatchObject({ namespace_name: SOURCE });
    expectErrorBody(await clone({ namespace_name: "y" }, "ns_1111111111111111111111"), 404, "NotFoundError");
    expectErrorBody(await clone({ namespace_name: "y" }, "no-such-namespace"), 404, "NotFoundError");
    expectErrorBody(
      await f.call("GET", "/v1/namespaces/ns_1111111111111111111111/clone-status"),
      404,
      "NotFoundError",
    );

    // A key confined to another namespace sees the source as absent; a read key may not clone.
    expectStatus(await f.call("POST", "/v1/namespaces", undefined, { namespace_name: "elsewhere" }), 201);
    const confined = await f.call<{ api_key: string }>("POST", "/v1/api-keys", undefined, {
      name: "confined",
      permissions: ["admin"],
      namespaces: ["elsewhere"],
    });
    expectStatus(confined, 201);
    expectErrorBody(
      await clone({ namespace_name: "y" }, SOURCE, confined.body.api_key),
      404,
      "NotFoundError",
    );
    const reader = await f.call<{ api_key: string }>("POST", "/v1/api-keys", undefined, {
      name: "reader",
      permissions: ["read"],
    });
    expectStatus(reader, 201);
    expectErrorBody(await clone({ namespace_name: "y" }, SOURCE, reader.body.api_key), 403, "ForbiddenError");
  }, 60_000);

  it("strata namespace clone follows the copy: exits 0 when ready, 1 with the reason when cancelled or refused", async () => {
    const ready = await f.strata([
      "namespace",
      "clone",
      SOURCE,
      "cli-branch",
      "--description",
      "from the CLI",
    ]);
    expect(ready.code, ready.stderr).toBe(0);
    expect(ready.stdout).toMatch(/^Cloning ns_\S+ into cli-branch \(ns_\S+, tsk_\S+\)\n/);
    expect(ready.stdout).toMatch(/Ready: cli-branch \(ns_\S+\)\n$/);
    // Not a terminal: plain progress lines, no bar redrawn with escape codes.
    expect(ready.stderr).toMatch(
      /^ready: collections 1 · documents 5 · hot_vectors 5 · buckets 1 · objects 2 · bytes \d+ B · hot_documents 5\n$/m,
    );
    expect(ready.stderr).not.toContain("\u001b[");
    const made = await f.call<{ description: string }>("GET", "/v1/namespaces/cli-branch");
    expect(made.body.description).toBe("from the CLI");

    const taken = await f.strata(["namespace", "clone", SOURCE, "cli-branch"]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("(409 AlreadyExistsError)");
    const missing = await f.strata(["namespace", "clone", "no-such-namespace", "x"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("(404 NotFoundError)");

    const noWait = await f.strata(["namespace", "clone", SOURCE, "cli-nowait", "--no-wait"]);
    expect(noWait.code).toBe(0);
    expect(noWait.stdout).not.toContain("Ready");
    const noWaitId = /\((ns_\S+), tsk_/.exec(noWait.stdout)?.[1] ?? "";
    expect((await f.waitForClone(noWaitId, (s) => s.status !== "cloning")).status).toBe("ready");

    await writeFile(f.holdFile, "");
    let cloneId = "";
    let cancelled: CliRun;
    try {
      const run = f.strata(["namespace", "clone", SOURCE, "cli-cancelled"], (out) => {
        cloneId = /\((ns_\S+), tsk_/.exec(out)?.[1] ?? cloneId;
      });
      await waitUntil(async () => cloneId !== "", 60_000);
      await f.waitForClone(cloneId, (s) => (s.progress.objects ?? 0) > 0);
      expectStatus(await f.call("POST", `/v1/namespaces/${cloneId}/clone/cancel`), 200);
      await rm(f.holdFile, { force: true });
      cancelled = await run;
    } finally {
      await rm(f.holdFile, { force: true });
    }
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toMatch(/^cloning: collections 1 /m);
    expect(cancelled.stderr).toContain("error: the clone cancelled: Cancelled on request\n");
  }, 180_000);
});
