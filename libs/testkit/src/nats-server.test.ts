import { spawn } from "node:child_process";
import { access } from "node:fs/promises";
import { connect as tcpConnect } from "node:net";
import { fileURLToPath } from "node:url";
import { connect } from "nats";
import { describe, expect, it } from "vitest";
import { startNatsServer } from "./nats-server.js";
import { tempDir } from "./temp-dir.js";

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("startNatsServer", () => {
  it("starts a JetStream server on a random port and removes it on stop", async () => {
    const server = await startNatsServer();
    expect(server.port).toBeGreaterThan(0);
    expect(server.port).not.toBe(4222);
    const nc = await connect({ servers: server.url });
    const jsm = await nc.jetstreamManager();
    const info = await jsm.getAccountInfo();
    expect(info.limits).toBeDefined();
    await nc.close();
    await server.stop();
    expect(await canConnect(server.port)).toBe(false);
    await expect(access(server.dataDir)).rejects.toThrow();
    await server.stop(); // twice is fine
  });

  it("restart keeps the port and the streams", async () => {
    const server = await startNatsServer();
    try {
      let nc = await connect({ servers: server.url });
      await (await nc.jetstreamManager()).streams.add({ name: "KEEP", subjects: ["keep.>"] });
      await nc.close();
      await server.restart();
      nc = await connect({ servers: server.url });
      const info = await (await nc.jetstreamManager()).streams.info("KEEP");
      expect(info.config.name).toBe("KEEP");
      await nc.close();
    } finally {
      await server.stop();
    }
  });

  it("the server goes away when the test process dies without calling stop()", async () => {
    const module = fileURLToPath(new URL("./nats-server.ts", import.meta.url));
    const script = `const { startNatsServer } = await import(${JSON.stringify(module)});
      const s = await startNatsServer(); console.log(s.port); setInterval(() => {}, 1000);`;
    const worker = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      worker.stdout.setEncoding("utf8");
      worker.stdout.once("data", (line: string) => resolve(Number(line.trim())));
      worker.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    });
    expect(await canConnect(port)).toBe(true);
    worker.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while ((await canConnect(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await canConnect(port)).toBe(false);
  });

  it("two servers get different ports", async () => {
    const [a, b] = await Promise.all([startNatsServer(), startNatsServer({ jetstream: false })]);
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe("tempDir", () => {
  it("creates a directory and removes it", async () => {
    const dir = await tempDir("strata/test dir");
    await access(dir.path);
    await dir.remove();
    await expect(access(dir.path)).rejects.toThrow();
  });
});
