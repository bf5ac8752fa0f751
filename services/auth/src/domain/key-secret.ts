import { createHash, timingSafeEqual } from "node:crypto";
import { apiKeyDisplayStart, generateApiKeySecret } from "@strata/ids";

export interface IssuedSecret {
  /** Handed to the caller once; never stored or logged. */
  readonly secret: string;
  readonly hash: string;
  readonly start: string;
}

export function issueSecret(): IssuedSecret {
  const secret = generateApiKeySecret();
  return { secret, hash: hashSecret(secret), start: apiKeyDisplayStart(secret) };
}

/** SHA-256, hex. A secret has 256 bits of entropy, so a fast unsalted hash is enough. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}
