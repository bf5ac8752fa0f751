import { S3ServiceException } from "@aws-sdk/client-s3";

/** The key (not the bucket) is missing. A missing bucket is misconfiguration and must throw. */
export function isMissingKey(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  if (error.name === "NoSuchBucket") return false;
  return error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404;
}

/** A conditional request lost a race (CopySourceIfMatch after the source was replaced). */
export function isPreconditionFailed(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === "PreconditionFailed" || error.$metadata.httpStatusCode === 412)
  );
}
