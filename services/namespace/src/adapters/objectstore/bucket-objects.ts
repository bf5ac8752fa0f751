import {
  DEFAULT_CONTENT_TYPE,
  isValidContentType,
  isValidObjectKey,
  MAX_KEY_LENGTH,
  type ObjectStore,
} from "@strata/objectstore";
import type { BucketObjects } from "../../modules/buckets/ports.js";

/** The buckets module's object-store port over an ObjectStore (files or S3), with its key rules. */
export function bucketObjects(store: ObjectStore): BucketObjects {
  return {
    put: (key, body, options) => store.put(key, body, options),
    get: (key) => store.get(key),
    copy: async (fromKey, toKey) => {
      const copied = await store.copy(fromKey, toKey);
      return copied.ok ? { ok: true, value: undefined } : copied;
    },
    delete: (key) => store.delete(key),
    deletePrefix: (prefix) => store.deletePrefix(prefix),
    isValidKey: isValidObjectKey,
    maxKeyLength: MAX_KEY_LENGTH,
    isValidContentType,
    defaultContentType: DEFAULT_CONTENT_TYPE,
  };
}
