import { isIP } from "node:net";
import { Agent, request } from "undici";
import type { SendOutcome, SendRequest, WebhookSender } from "../../domain/ports.js";
import type { AddressPolicy } from "./address-policy.js";
import { guardedLookup, type NameResolver, systemResolver } from "./guarded-lookup.js";

const EXCERPT_BYTES = 1024;
/** Endpoint URLs whose address check is remembered (a dispatcher sends to far fewer). */
const REMEMBERED_URLS = 4096;

export interface UndiciSender {
  readonly send: WebhookSender;
  close(): Promise<void>;
}

/**
 * POSTs with undici.request (fetch is ~5× slower here, notes/baselines.md) through an Agent whose
 * sockets resolve with the guarded lookup. Literal addresses never reach a lookup, so they are
 * checked here. Redirects are not followed (undici.request does not): a 3xx is a failure.
 */
export function createUndiciSender(
  policy: AddressPolicy,
  connectionsPerOrigin = 32,
  resolve: NameResolver = systemResolver,
): UndiciSender {
  const agent = new Agent({
    connections: connectionsPerOrigin,
    connect: { lookup: guardedLookup(policy, resolve) },
    keepAliveTimeout: 10_000,
  });
  const literalRefusal = rememberedPerUrl(REMEMBERED_URLS, (url) => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return isIP(host) === 0 ? undefined : policy.refusal(host);
  });
  const send = async (outgoing: SendRequest): Promise<SendOutcome> => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const refusal = literalRefusal(outgoing.url);
    if (refusal !== undefined) return failed(elapsed(), `blocked address: ${refusal}`);
    // The whole exchange has one deadline (a body that trickles in must not hold the slot): a timer
    // cleared on the answer. AbortSignal.timeout's timer stayed armed and fired after every request.
    const deadline = new AbortController();
    // Unref'd as AbortSignal.timeout's was: the request, not its deadline, keeps a process alive.
    const timer = setTimeout(() => deadline.abort(), outgoing.timeoutMs).unref();
    try {
      const answer = await request(outgoing.url, {
        method: "POST",
        headers: outgoing.headers,
        body: outgoing.body,
        dispatcher: agent,
        headersTimeout: outgoing.timeoutMs,
        bodyTimeout: outgoing.timeoutMs,
        signal: deadline.signal,
      });
      const excerpt = await readExcerpt(answer.body);
      const retryAfter = retryAfterSeconds(answer.headers["retry-after"]);
      return {
        statusCode: answer.statusCode,
        latencyMs: elapsed(),
        responseExcerpt: excerpt,
        error: "",
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      };
    } catch (error: unknown) {
      return failed(elapsed(), describe(error));
    } finally {
      clearTimeout(timer);
    }
  };
  return { send, close: () => agent.close() };
}

/**
 * `check(url)` computed once per URL: the policy is fixed for the sender's life, and parsing and
 * checking the URL of every request showed in the dispatcher's profile. Forgets all when full.
 */
function rememberedPerUrl(
  capacity: number,
  check: (url: string) => string | undefined,
): (url: string) => string | undefined {
  const remembered = new Map<string, string | undefined>();
  return (url) => {
    if (remembered.has(url)) return remembered.get(url);
    if (remembered.size >= capacity) remembered.clear();
    const answer = check(url);
    remembered.set(url, answer);
    return answer;
  };
}

function failed(latencyMs: number, error: string): SendOutcome {
  return { statusCode: 0, latencyMs, responseExcerpt: "", error };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  if (error.name === "TimeoutError" || error.name === "AbortError") return "timeout";
  return `${error.message}${cause}`.slice(0, 300);
}

/** The first bytes of the answer, then the rest is dropped (a huge answer costs us nothing). */
async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= EXCERPT_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8");
}

/** Retry-After in seconds or as an HTTP date. */
function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
