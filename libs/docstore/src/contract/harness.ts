import { randomBytes } from "node:crypto";
import { afterEach, beforeEach } from "vitest";
import type { DocStore, StoredRecord, TableSpec } from "../port.js";

export interface ContractOptions {
  /** True when `open()` reaches the same data again after `close()` (a file, a server). */
  readonly persistent?: boolean;
}

export interface ContractContext {
  readonly open: () => Promise<DocStore>;
  readonly close: (store: DocStore) => Promise<void>;
  readonly options: ContractOptions;
  /** The store opened for the current test. */
  store(): DocStore;
  /** A fresh table name, so tests never see each other's data even on a shared server. */
  freshTable(spec?: Omit<TableSpec, "name">): Promise<string>;
}

export function useStore(
  open: () => Promise<DocStore>,
  close: (store: DocStore) => Promise<void>,
  options: ContractOptions,
): ContractContext {
  let current: DocStore | undefined;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    if (current) await close(current);
    current = undefined;
  });
  const store = (): DocStore => {
    if (!current) throw new Error("contract: no store open");
    return current;
  };
  return {
    open,
    close,
    options,
    store,
    async freshTable(spec = {}) {
      const name = `t_${randomBytes(6).toString("hex")}`;
      await store().ensureTable({ name, ...spec });
      return name;
    },
  };
}

/** Records loose enough to hold the odd shapes the type-strictness tests need. */
export interface Doc extends StoredRecord {
  readonly [field: string]: unknown;
}

export function idsOf(rows: readonly { readonly record: StoredRecord }[]): string[] {
  return rows.map((row) => row.record.id);
}
