import type { ValidationIssue } from "@strata/errors";
import type { ObjectKeyRules } from "./ports.js";

/**
 * Object keys follow the ObjectStore's own key rules (`rules`, from the object-store port): segments of letters, digits, '.', '_' and
 * '-' joined by single '/', no "..", at most 250 characters a segment and 1024 in all. Being plain
 * ASCII, they sort the same byte-wise in every DocStore, which prefix listing relies on.
 */
const PREFIX_SHAPE = /^[A-Za-z0-9._/-]*$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

export function checkObjectKey(
  rules: ObjectKeyRules,
  key: string,
  issues: ValidationIssue[],
  location = "path.key",
): void {
  if (rules.isValidKey(key)) return;
  issues.push({
    location,
    message: `an object key is 1 to ${rules.maxKeyLength} characters: segments of letters, digits, '.', '_' and '-' joined by single '/', without ".."`,
    type: key.length === 0 ? "missing" : "invalid_format",
  });
}

export function checkKeyPrefix(rules: ObjectKeyRules, prefix: string, issues: ValidationIssue[]): void {
  if (prefix.length <= rules.maxKeyLength && PREFIX_SHAPE.test(prefix)) return;
  issues.push({
    location: "query.prefix",
    message: `a prefix is at most ${rules.maxKeyLength} characters of letters, digits, '.', '_', '-' and '/'`,
    type: "invalid_format",
  });
}

export function checkSha256(value: string, issues: ValidationIssue[]): void {
  if (SHA256_HEX.test(value)) return;
  issues.push({
    location: "header.x-checksum-sha256",
    message: "a SHA-256 is 64 hexadecimal characters",
    type: "invalid_format",
  });
}

/**
 * The first string after every key that starts with `prefix` (keys are ASCII, so raising the last
 * character by one bounds them in any byte-wise or code-unit order).
 */
export function prefixUpperBound(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return `${prefix.slice(0, -1)}${String.fromCharCode(last + 1)}`;
}

/**
 * Where an upload's bytes go: under its namespace and bucket (so nothing collides across them and a
 * bucket's bytes go with one prefix delete), named by the upload's own id, so a replacing upload
 * never touches the bytes readers see until its record is committed.
 */
export function storageKeyOf(namespaceId: string, bucketId: string, objectId: string): string {
  return `${bucketPrefixOf(namespaceId, bucketId)}${objectId}`;
}

export function bucketPrefixOf(namespaceId: string, bucketId: string): string {
  return `${namespaceId}/${bucketId}/`;
}
