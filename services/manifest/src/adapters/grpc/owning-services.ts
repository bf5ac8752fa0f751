import * as grpc from "@grpc/grpc-js";
import { type AppError, err, ok, type Result } from "@strata/errors";
import {
  clientInterceptors,
  createChannelOptions,
  itemErrorOf,
  type LocalServices,
  type ResultClient,
  resultClient,
} from "@strata/grpc";
import {
  aclV1,
  alertV1,
  bucketV1,
  collectionV1,
  retrieverV1,
  taxonomyV1,
  tieringV1,
  webhookV1,
} from "@strata/proto";

export interface OwningServicesOptions {
  readonly namespaceAddress: string;
  readonly aclQueryAddress: string;
  readonly webhookAddress: string;
  readonly tieringAddress: string;
  readonly internalToken: string;
  readonly deadlineMs: number;
  readonly localCalls?: LocalServices;
}

/** The services that own the resources a manifest lists: the manifest service changes them only here. */
export interface OwningServices {
  readonly bucket: ResultClient<typeof bucketV1.BucketServiceService>;
  readonly collection: ResultClient<typeof collectionV1.CollectionServiceService>;
  readonly taxonomy: ResultClient<typeof taxonomyV1.TaxonomyServiceService>;
  readonly retriever: ResultClient<typeof retrieverV1.RetrieverServiceService>;
  readonly webhook: ResultClient<typeof webhookV1.WebhookServiceService>;
  readonly alert: ResultClient<typeof alertV1.AlertServiceService>;
  readonly acl: ResultClient<typeof aclV1.AclServiceService>;
  readonly tiering: ResultClient<typeof tieringV1.TieringServiceService>;
  close(): void;
}

export function connectOwningServices(options: OwningServicesOptions): OwningServices {
  const credentials = grpc.credentials.createInsecure();
  const clientOptions = (target: string) => ({
    interceptors: clientInterceptors({
      internalToken: options.internalToken,
      target,
      localCalls: options.localCalls,
    }),
    ...createChannelOptions(),
  });
  const bucket = new bucketV1.BucketServiceClient(
    options.namespaceAddress,
    credentials,
    clientOptions(options.namespaceAddress),
  );
  // One connection to the namespace service's process, shared by its services.
  const collection = new grpc.Client(options.namespaceAddress, credentials, {
    ...clientOptions(options.namespaceAddress),
    channelOverride: bucket.getChannel(),
  });
  const retriever = new retrieverV1.RetrieverServiceClient(
    options.aclQueryAddress,
    credentials,
    clientOptions(options.aclQueryAddress),
  );
  // One connection to the acl-query process, shared by its retriever, alert and ACL services.
  const aclQuery = new grpc.Client(options.aclQueryAddress, credentials, {
    ...clientOptions(options.aclQueryAddress),
    channelOverride: retriever.getChannel(),
  });
  const tiering = new tieringV1.TieringServiceClient(
    options.tieringAddress,
    credentials,
    clientOptions(options.tieringAddress),
  );
  const webhook = new webhookV1.WebhookServiceClient(
    options.webhookAddress,
    credentials,
    clientOptions(options.webhookAddress),
  );
  const defaults = (service: string) => ({ deadlineMs: options.deadlineMs, service });
  return {
    bucket: resultClient(bucket, bucketV1.BucketServiceService, defaults("namespace")),
    collection: resultClient(collection, collectionV1.CollectionServiceService, defaults("namespace")),
    taxonomy: resultClient(collection, taxonomyV1.TaxonomyServiceService, defaults("namespace")),
    retriever: resultClient(retriever, retrieverV1.RetrieverServiceService, defaults("acl-query")),
    webhook: resultClient(webhook, webhookV1.WebhookServiceService, defaults("webhook-dispatcher")),
    alert: resultClient(aclQuery, alertV1.AlertServiceService, defaults("acl-query")),
    acl: resultClient(aclQuery, aclV1.AclServiceService, defaults("acl-query")),
    tiering: resultClient(tiering, tieringV1.TieringServiceService, defaults("tier-migrator")),
    close() {
      bucket.close();
      retriever.close();
      webhook.close();
      tiering.close();
    },
  };
}

/** Every page of a cursor-paged list. */
export async function listEveryPage<T>(
  fetchPage: (cursor: string) => Promise<Result<{ items: T[]; next: string }, AppError>>,
): Promise<Result<T[], AppError>> {
  const items: T[] = [];
  let cursor = "";
  do {
    const page = await fetchPage(cursor);
    if (!page.ok) return page;
    items.push(...page.value.items);
    cursor = page.value.next;
  } while (cursor !== "");
  return ok(items);
}

/** A batch create's answer as one result per resource (`error` is set on the ones that failed). */
export function eachDone<T extends { readonly error: string }>(
  answer: Result<{ results: T[] }, AppError>,
): Result<Result<void, AppError>[], AppError> {
  if (!answer.ok) return answer;
  return ok(
    answer.value.results.map((result) =>
      result.error === "" ? ok(undefined) : err(itemErrorOf(result.error)),
    ),
  );
}

export function done<T>(answer: Result<T, AppError>): Result<void, AppError> {
  return answer.ok ? ok(undefined) : answer;
}
