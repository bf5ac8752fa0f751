import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestReceiver, type TestReceiver } from "../../testing/receiver.js";
import { createAddressPolicy, literalUrlRefusal } from "./address-policy.js";
import { guardedLookup, type NameResolver } from "./guarded-lookup.js";
import { createUndiciSender } from "./undici-sender.js";

const blocked = createAddressPolicy([]);
const loopbackAllowed = createAddressPolicy(["127.0.0.0/8"]);

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe("SSRF: the address policy", () => {
  it.each([
    ["0.0.0.0", "this network"],
    ["10.1.2.3", "private"],
    ["100.64.0.1", "CGNAT"],
    ["100.100.100.200", "Alibaba metadata (CGNAT)"],
    ["127.0.0.1", "loopback"],
    ["169.254.169.254", "cloud metadata (link-local)"],
    ["172.16.5.4", "private"],
    ["192.0.0.170", "IETF protocol assignments"],
    ["192.0.2.1", "documentation"],
    ["192.168.1.1", "private"],
    ["198.18.0.1", "benchmarking"],
    ["224.0.0.1", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["::", "unspecified"],
    ["::1", "IPv6 loopback"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:a9fe:a9fe", "IPv4-mapped metadata, hex"],
    ["64:ff9b::a9fe:a9fe", "NAT64 of metadata"],
    ["fc00::1", "ULA"],
    ["fd00:ec2::254", "AWS metadata (ULA)"],
    ["fe80::1", "IPv6 link-local"],
    ["ff02::1", "IPv6 multicast"],
    ["2001:db8::1", "documentation"],
  ])("refuses %s (%s)", (address) => {
    expect(blocked.refusal(address)).toMatch(/blocked range/);
  });

  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])("lets %s through", (address) => {
    expect(blocked.refusal(address)).toBeUndefined();
  });

  it("opens the STRATA_WEBHOOK_ALLOWED_CIDRS ranges and only those", () => {
    expect(loopbackAllowed.refusal("127.0.0.1")).toBeUndefined();
    expect(loopbackAllowed.refusal("::ffff:127.0.0.1")).toBeUndefined();
    expect(loopbackAllowed.refusal("10.0.0.1")).toMatch(/blocked/);
    expect(() => createAddressPolicy(["not-a-cidr"])).toThrow(/CIDR/);
  });

  it("refuses literal blocked hosts at creation, and leaves names to the connect-time check", () => {
    const refuse = literalUrlRefusal(blocked);
    expect(refuse(new URL("http://[::1]:8080/x"))).toMatch(/blocked/);
    expect(refuse(new URL("http://169.254.169.254/latest/meta-data"))).toMatch(/blocked/);
    expect(refuse(new URL("http://localhost/x"))).toBeUndefined();
    expect(refuse(new URL("https://example.com/x"))).toBeUndefined();
  });
});

describe("SSRF: resolve, check, connect to the checked address", () => {
  it("refuses a name that resolves into a blocked range", async () => {
    const lookup = promisify(guardedLookup(blocked) as never) as (h: string, o: object) => Promise<string>;
    await expect(lookup("localhost", {})).rejects.toThrow(/blocked range/);
    const allowed = promisify(guardedLookup(loopbackAllowed) as never) as (
      h: string,
      o: object,
    ) => Promise<string>;
    await expect(allowed("localhost", { family: 4 })).resolves.toBe("127.0.0.1");
  });

  it("records a delivery to such a name as a failed attempt and never connects", async () => {
    const sender = createUndiciSender(blocked);
    const before = receiver.received.length;
    const port = new URL(receiver.url).port;
    const outcome = await sender.send({
      url: `http://localhost:${port}/x`,
      headers: {},
      body: "{}",
      timeoutMs: 2000,
    });
    expect(outcome.statusCode).toBe(0);
    expect(outcome.error).toMatch(/blocked/);
    const literal = await sender.send({ url: `${receiver.url}/x`, headers: {}, body: "{}", timeoutMs: 2000 });
    expect(literal.error).toMatch(/blocked address/);
    expect(receiver.received.length).toBe(before);
    await sender.close();
  });

  it("does not follow redirects: a 3xx is the attempt's answer (a failure)", async () => {
    const sender = createUndiciSender(loopbackAllowed);
    receiver.answer = () => ({
      status: 302,
      headers: { location: "http://169.254.169.254/latest/meta-data" },
    });
    const before = receiver.received.length;
    const outcome = await sender.send({ url: `${receiver.url}/r`, headers: {}, body: "{}", timeoutMs: 2000 });
    expect(outcome.statusCode).toBe(302);
    expect(receiver.received.length).toBe(before + 1);
    receiver.answer = () => ({ status: 200 });
    await sender.close();
  });

  it("reads Retry-After in seconds and as a date, and keeps only an excerpt of the answer", async () => {
    const sender = createUndiciSender(loopbackAllowed);
    receiver.answer = () => ({ status: 429, headers: { "retry-after": "7" } });
    const seconds = await sender.send({ url: `${receiver.url}/s`, headers: {}, body: "{}", timeoutMs: 2000 });
    expect(seconds).toMatchObject({ statusCode: 429, retryAfterSeconds: 7, responseExcerpt: "ok" });
    receiver.answer = () => ({
      status: 503,
      headers: { "retry-after": new Date(Date.now() + 30_000).toUTCString() },
    });
    const dated = await sender.send({ url: `${receiver.url}/s`, headers: {}, body: "{}", timeoutMs: 2000 });
    expect(dated.retryAfterSeconds).toBeGreaterThanOrEqual(28);
    receiver.answer = () => ({ status: 200 });
    await sender.close();
  });
});

describe("SSRF: DNS rebinding", () => {
  // A name that no real DNS knows, so a request reaching the receiver proves the socket used the
  // address our resolver answered (and the policy checked), not a resolution of its own.
  const REBINDING_NAME = "rebinding.strata.test";

  /** Answers an allowed address until `rebind()`, then a blocked one (cloud metadata); counts calls. */
  function rebindingResolver() {
    let address = "127.0.0.1";
    const calls: string[] = [];
    const resolve: NameResolver = async (hostname) => {
      calls.push(hostname);
      return [{ address, family: 4 }];
    };
    return { resolve, calls, rebind: () => (address = "169.254.169.254") };
  }

  it("accepts the name at creation, connects to the checked address, refuses it once it rebinds", async () => {
    const dnsServer = rebindingResolver();
    const url = `http://${REBINDING_NAME}:${new URL(receiver.url).port}/rebind`;
    expect(literalUrlRefusal(loopbackAllowed)(new URL(url))).toBeUndefined();

    const first = createUndiciSender(loopbackAllowed, 1, dnsServer.resolve);
    const before = receiver.received.length;
    const delivered = await first.send({ url, headers: {}, body: '{"n":1}', timeoutMs: 2000 });
    expect(delivered).toMatchObject({ statusCode: 200, error: "" });
    expect(receiver.received.length).toBe(before + 1);
    expect(receiver.received.at(-1)?.path).toBe("/rebind");
    // One resolution for the connection: nothing resolved the name again between check and connect.
    expect(dnsServer.calls).toEqual([REBINDING_NAME]);
    await first.close();

    dnsServer.rebind();
    const second = createUndiciSender(loopbackAllowed, 1, dnsServer.resolve);
    const refused = await second.send({ url, headers: {}, body: '{"n":2}', timeoutMs: 2000 });
    expect(refused.statusCode).toBe(0);
    expect(refused.error).toMatch(/169\.254\.169\.254|blocked range/);
    expect(receiver.received.length).toBe(before + 1);
    await second.close();
  });
});

describe("the sender's deadline", () => {
  it("counts an answer whose body trickles past the timeout as a timeout, and frees itself at the deadline", async () => {
    // Headers at once, then a byte every 20 ms: neither undici's headers nor its body timeout fires.
    const trickling = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "text/plain" });
      const drip = setInterval(() => res.write("."), 20);
      res.on("close", () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => trickling.listen(0, "127.0.0.1", resolve));
    const { port } = trickling.address() as AddressInfo;
    const sender = createUndiciSender(loopbackAllowed);
    try {
      const outcome = await sender.send({
        url: `http://127.0.0.1:${port}/slow`,
        headers: {},
        body: "{}",
        timeoutMs: 300,
      });
      expect(outcome).toMatchObject({ statusCode: 0, error: "timeout" });
      expect(outcome.latencyMs).toBeGreaterThanOrEqual(290);
      expect(outcome.latencyMs).toBeLessThan(2_000);
    } finally {
      await sender.close();
      trickling.closeAllConnections();
      await new Promise((resolve) => trickling.close(resolve));
    }
  });
});
