import { type Answer, unwrap } from "./errors.js";

/** Every list answer of the API: one page of items and the cursor of the next page. */
export interface Page<Item> {
  readonly data: Item[];
  readonly next_cursor: string | null;
}

/**
 * All items of a list, page after page, fetched as the loop asks for them:
 *
 *   for await (const ns of paginate((cursor) => api.GET("/v1/namespaces", { params: { query: { cursor } } })))
 *
 * `fetchPage` gets undefined for the first page, then each answer's next_cursor; errors throw
 * StrataError.
 */
export async function* paginate<Item>(
  fetchPage: (cursor: string | undefined) => Promise<Answer<Page<Item>>>,
): AsyncGenerator<Item, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await unwrap(fetchPage(cursor));
    yield* page.data;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}

/** Collects an async iterable (a paginate() loop) into an array. */
export async function collect<Item>(items: AsyncIterable<Item>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item);
  return all;
}
