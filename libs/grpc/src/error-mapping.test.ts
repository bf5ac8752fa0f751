import * as grpc from "@grpc/grpc-js";
import { appError, ERROR_KINDS } from "@strata/errors";
import { describe, expect, it } from "vitest";
import {
  checkBatchItems,
  fromGrpcError,
  grpcStatusOf,
  itemErrorJson,
  itemErrorOf,
  METHOD_METADATA_KEY,
  toServiceError,
} from "./error-mapping.js";
import { InternalTokenVerifier } from "./internal-auth.js";

function serviceError(code: grpc.status, metadata = new grpc.Metadata()): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: details`), {
    code,
    details: "details",
    metadata,
  });
}

describe("toServiceError / fromGrpcError", () => {
  it("maps kinds to the documented status codes", () => {
    expect(ERROR_KINDS.map((kind) => [kind, grpc.status[grpcStatusOf(kind)]])).toEqual([
      ["bad_request", "INVALID_ARGUMENT"],
      ["unauthorized", "UNAUTHENTICATED"],
      ["forbidden", "PERMISSION_DENIED"],
      ["not_found", "NOT_FOUND"],
      ["already_exists", "ALREADY_EXISTS"],
      ["conflict", "ABORTED"],
      ["validation", "INVALID_ARGUMENT"],
      ["payload_too_large", "RESOURCE_EXHAUSTED"],
      ["unsupported_media_type", "INVALID_ARGUMENT"],
      ["method_not_allowed", "UNIMPLEMENTED"],
      ["too_many_requests", "RESOURCE_EXHAUSTED"],
      ["unavailable", "UNAVAILABLE"],
      ["internal", "INTERNAL"],
    ]);
  });

  it.each(ERROR_KINDS)("restores a %s error from its status", (kind) => {
    const error = appError(kind, "msg", { a: [1, { b: null }] }, 3);
    const status = toServiceError(error);
    expect(status.details).toBe("msg");
    expect(fromGrpcError(serviceError(status.code ?? grpc.status.OK, status.metadata))).toEqual(error);
  });

  it.each([
    [grpc.status.UNAVAILABLE, "unavailable"],
    [grpc.status.DEADLINE_EXCEEDED, "unavailable"],
    [grpc.status.CANCELLED, "unavailable"],
    [grpc.status.NOT_FOUND, "internal"],
    [grpc.status.INVALID_ARGUMENT, "internal"],
    [grpc.status.UNAUTHENTICATED, "internal"],
    [grpc.status.PERMISSION_DENIED, "internal"],
    [grpc.status.UNIMPLEMENTED, "internal"],
    [grpc.status.UNKNOWN, "internal"],
  ])("without our metadata, status %s becomes %s (never a 4xx kind)", (code, kind) => {
    expect(fromGrpcError(serviceError(code)).kind).toBe(kind);
  });

  it("names the service the interceptors recorded", () => {
    const metadata = new grpc.Metadata();
    metadata.set(METHOD_METADATA_KEY, "/strata.auth.v1.AuthService/VerifyKey");
    expect(fromGrpcError(serviceError(grpc.status.UNAVAILABLE, metadata)).message).toBe(
      "strata.auth.v1.AuthService is unavailable",
    );
    expect(fromGrpcError(serviceError(grpc.status.DEADLINE_EXCEEDED), "auth").message).toBe(
      "auth did not answer in time",
    );
  });

  it("ignores a malformed error entry and anything that is not a gRPC error", () => {
    const metadata = new grpc.Metadata();
    metadata.set("x-strata-error-bin", Buffer.from('{"kind":"teapot","message":"x"}'));
    expect(fromGrpcError(serviceError(grpc.status.NOT_FOUND, metadata)).kind).toBe("internal");
    expect(fromGrpcError(new Error("plain"))).toEqual({ kind: "internal", message: "Internal error" });
    expect(fromGrpcError("string")).toEqual({ kind: "internal", message: "Internal error" });
    expect(fromGrpcError(serviceError(99 as grpc.status)).kind).toBe("internal");
  });
});

describe("InternalTokenVerifier", () => {
  it("refuses an empty token at construction", () => {
    expect(() => new InternalTokenVerifier("")).toThrow(/must not be empty/);
  });

  it("compares tokens of any length without throwing", () => {
    const verifier = new InternalTokenVerifier("the-token");
    const withToken = (value: string) => {
      const metadata = new grpc.Metadata();
      metadata.set("x-strata-internal-token", value);
      return metadata;
    };
    expect(verifier.verify(withToken("the-token"))).toBe(true);
    expect(verifier.verify(withToken("the-tokeN"))).toBe(false);
    expect(verifier.verify(withToken("x"))).toBe(false);
    expect(verifier.verify(withToken("the-token".repeat(100)))).toBe(false);
    expect(verifier.verify(new grpc.Metadata())).toBe(false);
  });
});

describe("batch calls' item errors and shape", () => {
  it("carries an item's AppError as JSON and back unchanged; anything unreadable is internal", () => {
    const error = appError("validation", "Request is invalid", { validation_errors: [{ location: "x" }] });
    expect(itemErrorOf(itemErrorJson(error))).toEqual(error);
    expect(itemErrorOf("not json").kind).toBe("internal");
    expect(itemErrorOf(JSON.stringify({ kind: "teapot", message: "?" })).kind).toBe("internal");
  });

  it("refuses more items than the limit, and an item naming another namespace", () => {
    const items = (...ids: string[]) => ids.map((namespaceId) => ({ namespaceId }));
    expect(checkBatchItems("ns_a", items("", "ns_a"), 2).ok).toBe(true);
    const tooMany = checkBatchItems("ns_a", items("", "", ""), 2);
    expect(tooMany.ok ? undefined : tooMany.error.details?.validation_errors).toMatchObject([
      { type: "too_many_items" },
    ]);
    const foreign = checkBatchItems("ns_a", items("", "ns_b"), 5);
    expect(foreign.ok ? undefined : foreign.error.details?.validation_errors).toMatchObject([
      { location: "items[1].namespace_id", type: "namespace_mismatch" },
    ]);
  });
});
