/** A clone running in this process: its live progress (the store sees it only at the end). */
export interface CloneRun {
  readonly taskId: string;
  readonly organizationId: string;
  /** The clone's reserved name: a lookup by name answers "still being cloned" from here too. */
  readonly namespaceName: string;
  progress: Record<string, number>;
  cancelled: boolean;
}

/**
 * The clones this process runs. Their progress changes with every page and a cancel request is
 * checked between pages; neither is worth a store write, so they meet here (ADR 0029).
 */
export class CloneRuns {
  private readonly runs = new Map<string, CloneRun>();
  private readonly done = new Map<string, Promise<void>>();

  /** Keyed by the clone's namespace id. */
  add(namespaceId: string, run: CloneRun, done: Promise<void>): void {
    this.runs.set(namespaceId, run);
    this.done.set(namespaceId, done);
    void done.finally(() => {
      this.runs.delete(namespaceId);
      this.done.delete(namespaceId);
    });
  }

  get(namespaceId: string): CloneRun | undefined {
    return this.runs.get(namespaceId);
  }

  /**
   * The id of the clone running here that `identifier` (an id or a name) names in the organization.
   * A lookup of a running clone must not wait for the store, which the copy's transaction holds.
   */
  runningClone(organizationId: string, identifier: string): { id: string; name: string } | undefined {
    for (const [id, run] of this.runs) {
      if (run.organizationId !== organizationId) continue;
      if (id === identifier || run.namespaceName === identifier) return { id, name: run.namespaceName };
    }
    return undefined;
  }

  /** Waits for every running clone (the service stops after them). */
  async settled(): Promise<void> {
    await Promise.all(this.done.values());
  }
}
