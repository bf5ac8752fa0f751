import type { Caller } from "@strata/access";
import type { DocStore, DocStoreSession } from "@strata/docstore";
import type { AppError, Result } from "@strata/errors";
import type { EventEnvelope } from "@strata/events";
import type { z } from "zod";

/** A resource's fields as the manifest states them, without `name` and `protect`, defaults filled. */
export type Spec = Readonly<Record<string, unknown>>;

/** One resource naming another by name (resources never refer to each other by id). */
export interface Reference {
  readonly section: string;
  readonly name: string;
  /** The field holding the reference, relative to the resource, e.g. "collections[0]". */
  readonly field: string;
}

/** A resource as it exists in the namespace now. */
export interface LiveResource {
  readonly name: string;
  readonly spec: Spec;
}

export interface NewResource {
  readonly name: string;
  readonly spec: Spec;
}

/** Who acts and where: every call to an owning service carries the caller. */
export interface ActContext {
  readonly caller: Caller;
  readonly namespaceId: string;
}

/**
 * How the manifest reaches one kind of resource: through the owning service's contract only.
 * Adding a kind (e.g. tiering_policy) is one more implementation of this, listed in the registry.
 */
export interface ResourceKind {
  /** The manifest's list for this kind, e.g. "buckets". */
  readonly section: string;
  /**
   * Set for a kind the namespace has one of (tiering_policy): the manifest writes it as one object,
   * not a list, and it is handled as a list of at most one resource with this name.
   */
  readonly singleton?: string;
  /** Creates run in ascending order, deletes in descending order. */
  readonly order: number;
  /** The fields besides name and protect: strict, with the owning service's defaults filled. */
  readonly schema: z.ZodType<Spec>;
  /**
   * Why the owning service cannot make this change in place, or undefined when it can. A reason
   * makes the change a replace (delete, then create): the exception, shown in the plan with it.
   */
  replaceReason(before: Spec, after: Spec): string | undefined;
  /** Fields holding secrets: exported as `${{ secrets.NAME }}`, masked in plans and history. */
  readonly sensitive?: readonly string[];
  references(spec: Spec): Reference[];
  /**
   * Whether a planned change of a resource this one references (as it is now) needs this one
   * deleted before that change and created after it, because the owning service refuses the
   * change while this one exists. Absent: never.
   */
  recreateWhen?(referenced: {
    readonly action: string;
    readonly fields: readonly { field: string }[];
  }): boolean;
  list(context: ActContext): Promise<Result<LiveResource[], AppError>>;
  create(context: ActContext, name: string, spec: Spec): Promise<Result<void, AppError>>;
  /**
   * Creates several in one call to the owning service (one transaction there), when the service
   * offers it: one answer per resource, in order, each as `create` would answer it. The outer
   * error is the call's own (unreachable service, namespace gone).
   */
  createMany?(
    context: ActContext,
    resources: readonly NewResource[],
  ): Promise<Result<Result<void, AppError>[], AppError>>;
  update(context: ActContext, name: string, before: Spec, after: Spec): Promise<Result<void, AppError>>;
  remove(context: ActContext, name: string): Promise<Result<void, AppError>>;
}

/** One step of an apply, run by the StepRunner (tests inject a failing one through this port). */
export interface Step {
  readonly section: string;
  readonly name: string;
  /** "undo" steps put back what an earlier step changed. */
  readonly purpose: "apply" | "undo";
  readonly operation: "create" | "update" | "delete";
}

export type StepRunner = (
  step: Step,
  run: () => Promise<Result<void, AppError>>,
) => Promise<Result<void, AppError>>;

/** A parsed document, and where each path came from (for line and column in problems). */
export interface ParsedDocument {
  readonly value: unknown;
  /** 1-based line and column of the value at `path`, when the format has lines. */
  locate(path: readonly (string | number)[]): { line: number; column: number } | undefined;
}

export type DocumentParser = (
  text: string,
  format: "yaml" | "json",
) => Result<ParsedDocument, { message: string; line?: number; column?: number }>;

export interface ManifestPorts {
  readonly store: DocStore;
  readonly appendEvent: (tx: DocStoreSession, event: EventEnvelope) => Promise<void>;
  readonly eventsCommitted: () => void;
  readonly clock: () => Date;
  readonly kinds: readonly ResourceKind[];
  readonly parse: DocumentParser;
  readonly runStep: StepRunner;
  /** How many steps of one kind an apply runs at a time (its resources do not depend on each other). */
  readonly stepConcurrency: number;
  /** How many creates of one kind go to its owning service in one call, for kinds that offer it. */
  readonly createBatchSize: number;
  /** Who holds the per-namespace apply lease (this replica). */
  readonly holder: string;
  readonly leaseMs: number;
  /** How long an apply waits for another apply on the same namespace before it is refused. */
  readonly lockWaitMs: number;
}

export const runStepsDirectly: StepRunner = (_step, run) => run();
