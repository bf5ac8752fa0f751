import type { Caller } from "@strata/access";
import { type DocStore, insertEachNamed, type StoredRecord } from "@strata/docstore";
import { type AppError, alreadyExists, appError, err, internal, ok, type Result } from "@strata/errors";
import type { NamespaceRecord } from "../modules/namespaces/tables.js";
import { requirePermission } from "./namespace-access.js";
import { resolveNamespaceScope } from "./namespace-scope.js";

type NamespacedRecord = StoredRecord & { readonly namespace_id: string };

/**
 * How one kind of resource is created: its input checked (into C, e.g. with defaults filled), its
 * record built, and where its names are unique.
 */
export interface CreateRecipe<I, C, R extends NamespacedRecord> {
  /** The kind as errors name it, e.g. "bucket". */
  readonly kind: string;
  readonly table: string;
  /** The record's name field, unique within a namespace, e.g. "bucket_name". */
  readonly nameField: keyof R & string;
  check(input: I): Result<C, AppError>;
  build(namespace: NamespaceRecord, checked: C): R;
}

/**
 * Creates several resources of one kind in one transaction, each answering on its own: one whose
 * input is invalid or whose name is taken (in the namespace, or earlier in the same call) answers
 * its error and leaves the others created (insertEachNamed); an insert that collides anyway (a
 * create of the same name racing this one) fails the whole call and keeps nothing of it. The call's own errors: the
 * caller's permission and the namespace.
 */
export async function createEach<I, C, R extends NamespacedRecord>(
  store: DocStore,
  caller: Caller,
  namespaceId: string,
  recipe: CreateRecipe<I, C, R>,
  inputs: readonly I[],
): Promise<Result<Result<R, AppError>[], AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const checked = inputs.map((input) => recipe.check(input));
  return store.transaction<Result<R, AppError>[], AppError>(async (tx) => {
    const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
    if (!namespace.ok) return namespace;
    const records = checked.flatMap((input) =>
      input.ok ? [recipe.build(namespace.value, input.value)] : [],
    );
    const inserted = await insertEachNamed(tx, recipe.table, recipe.nameField, records);
    const taken = (record: R) =>
      err(alreadyExists(recipe.kind, { [recipe.nameField]: record[recipe.nameField] }));
    if (!inserted.ok) {
      const [only] = records;
      return records.length === 1 && only !== undefined
        ? err(taken(only).error)
        : err(appError("already_exists", `A ${recipe.kind} of one of these names was created meanwhile`));
    }
    let next = 0;
    return ok(
      checked.map((input) => {
        if (!input.ok) return input;
        const record = records[next] as R;
        const answer = inserted.value[next];
        next += 1;
        return answer === "inserted" ? ok(record) : taken(record);
      }),
    );
  });
}

/** One create through `createEach`: its result, or the call's error. */
export async function createOne<I, C, R extends NamespacedRecord>(
  store: DocStore,
  caller: Caller,
  namespaceId: string,
  recipe: CreateRecipe<I, C, R>,
  input: I,
): Promise<Result<R, AppError>> {
  const created = await createEach(store, caller, namespaceId, recipe, [input]);
  if (!created.ok) return created;
  return created.value[0] ?? err(internal());
}
