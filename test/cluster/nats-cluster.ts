import { type ChildProcess, spawn } from "node:child_process";
import { connect as tcpConnect } from "node:net";
import { freePort, tempDir } from "@strata/testkit";
import { connect } from "nats";

/** One member of the test cluster: its client URL, and a crash (`kill`) and a `restart` on the same store. */
export interface NatsNode {
  readonly name: string;
  readonly url: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every node's client URL, comma-separated: what NATS_URL gets in the distributed mode. */
  readonly urls: string;
  stop(): Promise<void>;
}

const BINARY = process.env.NATS_SERVER_BIN ?? "nats-server";
const CLUSTER_NAME = "strata-test";
const READY_TIMEOUT_MS = 20_000;
// The server runs under a shell that holds a pipe from this process: when the test process dies
// (even by SIGKILL) the pipe closes and the shell kills the server, so no node outlives the run.
const WATCHDOG = 'exec 3<&0; "$0" "$@" & pid=$!; (read _ <&3; kill -9 "$pid" 2>/dev/null) & wait "$pid"';

interface NodePorts {
  readonly client: number;
  readonly route: number;
}

/**
 * Three nats-server processes on loopback as one JetStream cluster: each with a server name, its
 * own store directory and routes to the other two (JetStream clustering needs all three). No
 * authorization, like a development cluster. Resolves once JetStream has a meta leader, so an R3
 * stream can be created straight away.
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const ports: NodePorts[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), route: await freePort() });
  const routes = ports.map((p) => `nats://127.0.0.1:${p.route}`).join(",");
  const nodes: ClusterNode[] = [];
  try {
    for (const [i, p] of ports.entries()) {
      const store = await tempDir(`strata-cluster-n${i + 1}`);
      nodes.push(new ClusterNode(`n${i + 1}`, p, routes, store));
    }
    await Promise.all(nodes.map((node) => node.restart()));
    const urls = nodes.map((node) => node.url).join(",");
    await waitForJetStream(urls);
    return { nodes, urls, stop: () => stopAll(nodes) };
  } catch (e) {
    await stopAll(nodes);
    throw e;
  }
}

async function stopAll(nodes: readonly ClusterNode[]): Promise<void> {
  await Promise.all(nodes.map((node) => node.stop()));
}

class ClusterNode implements NatsNode {
  readonly url: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly ports: NodePorts,
    private readonly routes: string,
    private readonly store: { readonly path: string; remove(): Promise<void> },
  ) {
    this.url = `nats://127.0.0.1:${ports.client}`;
  }

  async restart(): Promise<void> {
    await this.kill();
    const args = [
      ...["-a", "127.0.0.1", "-p", String(this.ports.client), "--server_name", this.name],
      ...["-js", "-sd", this.store.path],
      ...["--cluster_name", CLUSTER_NAME, "--cluster", `nats://127.0.0.1:${this.ports.route}`],
      ...["--routes", this.routes],
    ];
    const child = spawn("sh", ["-c", WATCHDOG, BINARY, ...args], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    await waitForPort(this.ports.client, child);
  }

  /** SIGKILL: a crash, the store is left as it was. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await this.exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    await this.store.remove();
  }
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server on ${port} exited with ${child.exitCode}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nats-server did not listen on ${port} within ${READY_TIMEOUT_MS} ms`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** JetStream answers account info only once the cluster has elected its meta leader. */
async function waitForJetStream(urls: string): Promise<void> {
  const nc = await connect({ servers: urls.split(",") });
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      try {
        await (await nc.jetstreamManager({ timeout: 1000 })).getAccountInfo();
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`JetStream cluster not ready: ${String(e)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await nc.close();
  }
}
