import http from "node:http";

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * Requests over node:http with one keep-alive agent, for the benchmarks. They time each request
 * from this process, so the client's own garbage collection lands in the figures: on Node 20,
 * fetch (undici) left about a fifth of what it allocated surviving each scavenge, and those ~5 ms
 * pauses showed up in the measured p99 (docs/benchmarks.md). node:http leaves almost nothing.
 */
export function httpClient(baseUrl: string): {
  request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer>;
  close(): void;
} {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  return {
    request: (method, path, headers, body) =>
      new Promise((resolve, reject) => {
        const request = http.request(`${baseUrl}${path}`, { method, headers, agent }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
          );
        });
        request.on("error", reject);
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}
