import type { AppError, Result } from "@strata/errors";
import { err, ok, validationFailed } from "@strata/errors";
import type { S3VectorsFilter } from "@strata/filter";
import { filterFields, isMatchNothing, simplify, toS3VectorsFilter } from "@strata/filter";
import type { HotSearch } from "@strata/hotindex";
import { COLLECTION_KEY, FIELD_PREFIX } from "./s3v-metadata.js";

/**
 * The service filter for a query: the caller's filter and the collection restriction in S3 Vectors'
 * syntax; `undefined` when nothing restricts, `null` when nothing can match (no call is needed), or a
 * refusal when the filter names a field stored non-filterable.
 */
export function serviceFilter(
  query: Pick<HotSearch, "filter" | "collectionIds">,
  nonFilterable: readonly string[],
): Result<S3VectorsFilter | undefined | null, AppError> {
  const parts: S3VectorsFilter[] = [];
  if (query.filter) {
    const simple = simplify(query.filter);
    if (isMatchNothing(simple)) return ok(null);
    const hidden = filterFields(simple).find((f) =>
      nonFilterable.some((n) => f === n || f.startsWith(`${n}.`)),
    );
    if (hidden !== undefined) {
      const message = `Field ${hidden} is stored non-filterable in the warm tier`;
      return err(validationFailed([{ location: hidden, message, type: "unsupported_filter" }], message));
    }
    const translated = toS3VectorsFilter(simple, { fieldPrefix: FIELD_PREFIX });
    if (!translated.ok) return translated;
    if (translated.value) parts.push(translated.value);
  }
  if (query.collectionIds) {
    if (query.collectionIds.length === 0) return ok(null);
    parts.push({ [COLLECTION_KEY]: { $in: [...query.collectionIds] } });
  }
  return ok(parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { $and: parts });
}
