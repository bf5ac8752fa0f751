import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";
import { INTERNAL_TOKEN_METADATA_KEY } from "./caller.js";

/**
 * Checks the shared internal token on incoming calls. Both sides are hashed first so the
 * comparison is constant-time over equal-length digests whatever length the presented value has.
 */
export class InternalTokenVerifier {
  readonly #expected: Buffer;

  constructor(token: string) {
    if (token.length === 0) {
      // An empty token would let any caller in who sends an empty one: refuse to start.
      throw new Error("The internal gRPC token must not be empty (set STRATA_INTERNAL_TOKEN)");
    }
    this.#expected = digest(token);
  }

  verify(metadata: grpc.Metadata): boolean {
    const values = metadata.get(INTERNAL_TOKEN_METADATA_KEY);
    const presented = values[0];
    if (values.length !== 1 || presented === undefined) return false;
    const text = typeof presented === "string" ? presented : presented.toString("utf8");
    return timingSafeEqual(digest(text), this.#expected);
  }
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** A random token for the embedded mode, where every service shares one process. */
export function generateInternalToken(): string {
  return randomBytes(32).toString("base64url");
}
