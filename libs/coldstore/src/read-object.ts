import type { ObjectStore } from "@strata/objectstore";

/** The whole object in memory, or undefined when absent (segments and cold documents are small). */
export async function readObject(store: ObjectStore, key: string): Promise<Buffer | undefined> {
  const got = await store.get(key);
  if (!got.ok) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of got.value.body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
