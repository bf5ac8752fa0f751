import type { bucketV1 } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, timestamp } from "./common.js";

export const bucketSchema = z
  .object({
    bucket_id: z.string(),
    namespace_id: z.string(),
    bucket_name: z.string(),
    description: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Bucket" });

export type BucketView = z.infer<typeof bucketSchema>;

export const objectSchema = z
  .object({
    bucket_id: z.string(),
    namespace_id: z.string(),
    key: z.string(),
    size: z.number().int().describe("Bytes"),
    content_type: z.string(),
    sha256: z.string().describe("Lowercase hex SHA-256 of the bytes"),
    etag: z.string().describe("The ETag header's value, without quotes"),
    created_at: timestamp,
  })
  .meta({ id: "BucketObject" });

export type ObjectView = z.infer<typeof objectSchema>;

export function bucketView(bucket: bucketV1.Bucket | undefined): BucketView {
  if (bucket === undefined) throw new Error("the bucket service answered without a bucket");
  const created = isoOrNull(bucket.createdAt) ?? new Date(0).toISOString();
  return {
    bucket_id: bucket.bucketId,
    namespace_id: bucket.namespaceId,
    bucket_name: bucket.bucketName,
    description: bucket.description,
    created_at: created,
    updated_at: isoOrNull(bucket.updatedAt) ?? created,
  };
}

export function objectView(object: bucketV1.ObjectInfo | undefined): ObjectView {
  if (object === undefined) throw new Error("the bucket service answered without an object");
  return {
    bucket_id: object.bucketId,
    namespace_id: object.namespaceId,
    key: object.key,
    size: object.size,
    content_type: object.contentType,
    sha256: object.sha256,
    etag: object.etag,
    created_at: isoOrNull(object.createdAt) ?? new Date(0).toISOString(),
  };
}
