import type { bucketV1 } from "@strata/proto";
import type { BucketRecord, ObjectRecord } from "../tables.js";

export function bucketToProto(bucket: BucketRecord): bucketV1.Bucket {
  return {
    bucketId: bucket.id,
    namespaceId: bucket.namespace_id,
    bucketName: bucket.bucket_name ?? bucket.deleting_name ?? "",
    description: bucket.description,
    createdAt: new Date(bucket.created_at),
    updatedAt: new Date(bucket.updated_at),
  };
}

export function objectToProto(object: ObjectRecord): bucketV1.ObjectInfo {
  return {
    bucketId: object.bucket_id,
    namespaceId: object.namespace_id,
    key: object.key,
    size: object.size,
    contentType: object.content_type,
    sha256: object.sha256,
    etag: object.etag,
    createdAt: new Date(object.created_at),
  };
}
