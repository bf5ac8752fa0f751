import * as grpc from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { GrpcServerMetrics } from "./grpc-metrics.js";

const VERIFY = "strata.auth.v1.AuthService/VerifyKey";
const SEARCH = "strata.namespace.v1.SearchService/Search";

function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GrpcServerMetrics", () => {
  it("counts each finished call under its method and status, and a scrape right after a call sees it", async () => {
    const registry = new Registry();
    const auth = new GrpcServerMetrics(registry).observerFor("auth");
    auth.callFinished(VERIFY, grpc.status.OK, 0.002);
    auth.callFinished(VERIFY, grpc.status.OK, 0.004);
    auth.callFinished(VERIFY, grpc.status.NOT_FOUND, 0.03);
    auth.callFinished(SEARCH, grpc.status.OK, 0.5);
    const text = await registry.metrics();
    const verify = 'service="auth",grpc_service="strata.auth.v1.AuthService",grpc_method="VerifyKey"';
    expect(value(text, `strata_grpc_server_calls_total{${verify},code="OK"}`)).toBe(2);
    expect(value(text, `strata_grpc_server_calls_total{${verify},code="NOT_FOUND"}`)).toBe(1);
    expect(value(text, `strata_grpc_server_duration_seconds_count{${verify}}`)).toBe(3);
    expect(value(text, `strata_grpc_server_duration_seconds_sum{${verify}}`)).toBeCloseTo(0.036, 9);
    expect(value(text, `strata_grpc_server_duration_seconds_bucket{le="0.0025",${verify}}`)).toBe(1);
    const search = 'service="auth",grpc_service="strata.namespace.v1.SearchService",grpc_method="Search"';
    expect(value(text, `strata_grpc_server_calls_total{${search},code="OK"}`)).toBe(1);
  });

  it("counts calls once, whether a scrape or the timer comes first", async () => {
    const registry = new Registry();
    const auth = new GrpcServerMetrics(registry).observerFor("auth");
    const series =
      'strata_grpc_server_calls_total{service="auth",grpc_service="strata.auth.v1.AuthService",grpc_method="VerifyKey",code="OK"}';
    auth.callFinished(VERIFY, grpc.status.OK, 0.001);
    await new Promise((resolve) => setTimeout(resolve, 20));
    auth.callFinished(VERIFY, grpc.status.OK, 0.001);
    expect(value(await registry.metrics(), series)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(value(await registry.metrics(), series)).toBe(2);
    // A burst longer than the timer's moment is counted as it goes: every call of it, once.
    for (let i = 0; i < 10_000; i++) auth.callFinished(VERIFY, grpc.status.OK, 0.001);
    expect(value(await registry.metrics(), series)).toBe(10_002);
  });
});
