import { randomBytes } from "node:crypto";
import { base58 } from "@scure/base";

/** The one prefix table (DESIGN §6). Store-internal ids never leave a service. */
export const ID_PREFIXES = {
  organization: "org",
  apiKey: "key",
  namespace: "ns",
  bucket: "bkt",
  object: "obj",
  collection: "col",
  document: "doc",
  batch: "bat",
  retriever: "ret",
  taxonomy: "tax",
  webhook: "wh",
  webhookDelivery: "whd",
  alert: "alr",
  event: "evt",
  rule: "rul",
  task: "tsk",
  request: "req",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

// 16 random bytes in base58 is 21–22 characters.
const ID_BYTES = 16;
const BASE58_BODY = /^[1-9A-HJ-NP-Za-km-z]{16,32}$/;

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${base58.encode(randomBytes(ID_BYTES))}`;
}

/** True when `value` has the shape of an id of this kind; says nothing of whether it exists. */
export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && BASE58_BODY.test(value.slice(prefix.length));
}

export function idKindOf(value: string): IdKind | undefined {
  for (const kind of Object.keys(ID_PREFIXES) as IdKind[]) {
    if (isId(kind, value)) return kind;
  }
  return undefined;
}
