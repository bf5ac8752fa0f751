import { DEFAULT_CONTENT_TYPE } from "../keys.js";
import type { ObjectInfo } from "../port.js";

/**
 * User metadata travels as `x-amz-meta-*` headers, which carry ASCII only, so values are
 * URI-encoded; the store's own entries use the reserved `strata-` prefix.
 */
const SHA256_KEY = "strata-sha256";
const RESERVED = "strata-";

export function toS3Metadata(
  metadata: Readonly<Record<string, string>>,
  sha256: string,
): Record<string, string> {
  const encoded: Record<string, string> = { [SHA256_KEY]: sha256 };
  for (const [key, value] of Object.entries(metadata)) encoded[key] = encodeURIComponent(value);
  return encoded;
}

export interface DecodedMetadata {
  /** Empty when the object was not written through this store. */
  readonly sha256: string;
  readonly metadata: Record<string, string>;
}

export function fromS3Metadata(raw: Readonly<Record<string, string>> | undefined): DecodedMetadata {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (!key.startsWith(RESERVED)) metadata[key] = safeDecode(value);
  }
  return { sha256: raw?.[SHA256_KEY] ?? "", metadata };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The fields HeadObject and GetObject responses share. */
export interface ObjectResponse {
  readonly ContentLength?: number | undefined;
  readonly ContentType?: string | undefined;
  readonly LastModified?: Date | undefined;
  readonly Metadata?: Record<string, string> | undefined;
}

export function infoFromResponse(key: string, out: ObjectResponse): ObjectInfo {
  const { sha256, metadata } = fromS3Metadata(out.Metadata);
  return {
    key,
    size: out.ContentLength ?? 0,
    sha256,
    contentType: out.ContentType ?? DEFAULT_CONTENT_TYPE,
    metadata,
    lastModified: out.LastModified ?? new Date(0),
  };
}
