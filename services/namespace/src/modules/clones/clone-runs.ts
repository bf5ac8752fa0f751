/** A clone running in this process: its live progress (the store sees it only at the end). */
export interface CloneRun {
  readonly taskId: string;
  readonly organizationId: string;
  progress: Record<string, number>;
  cancelled: boolean;
}

/**
 * The clones this process runs. The copy is one store transaction, so its progress and a cancel
 * request cannot go through the store while it runs: they meet here.
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

  /** Waits for every running clone (the service stops after them). */
  async settled(): Promise<void> {
    await Promise.all(this.done.values());
  }
}
