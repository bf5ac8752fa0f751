// The contract suite (objectstore.contract.ts) is not exported: it imports vitest, and this entry
// is loaded by production code. The s3rver test server is exported; it loads s3rver lazily.
export { type FsObjectStoreOptions, openFsObjectStore } from "./fs/fs-object-store.js";
export {
  assertKeyPrefix,
  assertObjectKey,
  checkObjectMetadata,
  DEFAULT_CONTENT_TYPE,
  isValidContentType,
  isValidObjectKey,
  MAX_KEY_LENGTH,
  MAX_LIST_LIMIT,
  MAX_METADATA_BYTES,
  MAX_SEGMENT_LENGTH,
} from "./keys.js";
export type {
  ListOptions,
  ListPage,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  PutError,
  PutOptions,
} from "./port.js";
export { mapLimit } from "./s3/map-limit.js";
export { MAX_S3_OBJECT_BYTES, openS3ObjectStore, type S3ObjectStoreOptions } from "./s3/s3-object-store.js";
export {
  openTestS3ObjectStore,
  startTestS3Server,
  TEST_S3_CREDENTIALS,
  TEST_S3_REGION,
  type TestS3Server,
} from "./testing/s3-test-server.js";
