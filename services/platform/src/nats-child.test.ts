import { mkdtemp, readdir, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findNatsServer, type NatsChild, startNatsChild } from "./nats-child.js";

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Reads the server's INFO banner: proves a NATS server (not just any socket) is listening. */
function readInfo(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setEncoding("utf8");
    socket.once("data", (chunk: string) => {
      socket.destroy();
      resolve(chunk);
    });
    socket.once("error", reject);
  });
}

describe("startNatsChild", () => {
  let dir = "";
  let child: NatsChild | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "strata-nats-child-"));
  });
  afterEach(async () => {
    await child?.stop();
    child = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it("finds the binary", async () => {
    expect(await findNatsServer()).toMatch(/nats-server$/);
    expect(await findNatsServer({ PATH: "" })).toBe("/usr/sbin/nats-server");
  });

  it("runs a JetStream server on a private loopback port with its store in the given dir", async () => {
    child = await startNatsChild({ storeDir: join(dir, "nats") });
    expect(child.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(child.url).not.toBe("nats://127.0.0.1:4222");
    const info = await readInfo(child.url);
    expect(info).toMatch(/^INFO /);
    expect(info).toContain('"jetstream":true');
    expect(await readdir(join(dir, "nats"))).toContain("jetstream");
  });

  it("stop() ends the process and reports the exit as expected", async () => {
    child = await startNatsChild({ storeDir: dir });
    const pid = child.pid;
    expect(isAlive(pid)).toBe(true);
    await child.stop();
    expect(isAlive(pid)).toBe(false);
    expect((await child.exited).expected).toBe(true);
    await child.stop(); // a second stop is harmless
  });

  it("stops a server left running on the same store by a launcher that was killed", async () => {
    const leftover = await startNatsChild({ storeDir: dir });
    child = await startNatsChild({ storeDir: dir });
    expect((await leftover.exited).expected).toBe(false);
    expect(isAlive(leftover.pid)).toBe(false);
    expect(isAlive(child.pid)).toBe(true);
    expect(child.url).not.toBe(leftover.url);
  });

  it("reports a crash as unexpected", async () => {
    child = await startNatsChild({ storeDir: dir });
    if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    const exit = await child.exited;
    expect(exit).toEqual({ code: null, signal: "SIGKILL", expected: false });
  });
});
