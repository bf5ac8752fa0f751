import { getContainerRuntimeClient } from "testcontainers";

/**
 * Where a contract suite finds a server that cannot run on every machine (MongoDB, Qdrant): a URL
 * from the environment, or a container when a container runtime exists. With neither, the suite
 * must be reported as skipped (never as passed), and says why.
 */
export interface ServerSource {
  readonly externalUrl: string | undefined;
  readonly canRun: boolean;
}

export async function serverSource(suite: string, urlVariable: string): Promise<ServerSource> {
  const externalUrl = process.env[urlVariable];
  const hasDocker =
    externalUrl === undefined &&
    (await getContainerRuntimeClient().then(
      () => true,
      () => false,
    ));
  const canRun = externalUrl !== undefined || hasDocker;
  if (!canRun) {
    console.warn(
      `${suite} skipped: no container runtime (Docker) on this machine and ${urlVariable} is not set`,
    );
  }
  return { externalUrl, canRun };
}
