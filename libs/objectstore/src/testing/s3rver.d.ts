// s3rver 3.7.1 ships no types; this covers the part the test server helper uses.
declare module "s3rver" {
  import type { AddressInfo } from "node:net";

  namespace S3rver {
    interface Options {
      address?: string;
      port?: number;
      directory?: string;
      silent?: boolean;
      resetOnClose?: boolean;
      configureBuckets?: { name: string }[];
    }

    interface ListOptions {
      delimiter?: string;
      startAfter?: string;
      prefix?: string;
      maxKeys?: number;
    }

    interface ListResult {
      objects: { key: string }[];
      commonPrefixes: string[];
      isTruncated: boolean;
    }

    /** The filesystem store behind the server (lib/stores/filesystem.js). */
    interface Store {
      listObjects(bucket: string, options: ListOptions): Promise<ListResult>;
      putObject(object: { bucket: string; key: string }): Promise<unknown>;
      copyObject(
        srcBucket: string,
        srcKey: string,
        destBucket: string,
        destKey: string,
        replace: unknown,
      ): Promise<unknown>;
      deleteObject(bucket: string, key: string): Promise<void>;
    }

    /** s3rver is a Koa 2 application; this is Koa's middleware list, composed when it starts. */
    type Middleware = (ctx: { body: unknown }, next: () => Promise<void>) => Promise<void>;
  }

  class S3rver {
    constructor(options?: S3rver.Options);
    readonly store: S3rver.Store;
    readonly middleware: S3rver.Middleware[];
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }

  export = S3rver;
}
