/**
 * The soak's mixed traffic against one gateway: reads, searches, writes (create, update, delete),
 * batches and key changes, each checked against the status it must answer. The collection is kept
 * at a steady size (the oldest documents are deleted as new ones arrive), so memory that climbs
 * over the run is memory the platform holds on to, not data the traffic keeps adding.
 */
export const OP_KINDS = ["read", "search", "write", "batch", "key"] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** How often each kind is picked, out of the sum. */
const WEIGHTS: Record<OpKind, number> = { read: 40, search: 25, write: 22, batch: 3, key: 10 };
const LIVE_WINDOW = 400;
const BATCH_SIZE = 20;
const BATCH_DEADLINE_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface SoakTarget {
  readonly url: string;
  readonly adminKey: string;
  readonly namespace: string;
  readonly collectionId: string;
  readonly retrieverId: string;
  readonly featureUri: string;
  readonly dimensions: number;
}

export interface OpCounts {
  readonly done: Record<OpKind, number>;
  readonly errors: Record<OpKind, number>;
  /** The first few unexpected answers, for the report. */
  readonly samples: string[];
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const zeros = (): Record<OpKind, number> => ({ read: 0, search: 0, write: 0, batch: 0, key: 0 });

export class SoakTraffic {
  readonly counts: OpCounts = { done: zeros(), errors: zeros(), samples: [] };
  /** Documents known to exist, oldest first: deletes take from the front, reads from the back half. */
  private readonly live: string[] = [];
  private readonly pendingBatches: Array<{ id: string; documentIds: string[]; since: number }> = [];
  private sequence = 0;

  constructor(private readonly target: SoakTarget) {}

  /** Picks one operation by weight and runs it; never throws (failures are counted). */
  async runOne(): Promise<void> {
    const kind = pick(Math.random());
    try {
      await this.run(kind);
    } catch (e) {
      this.fail(kind, `${kind}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.counts.done[kind]++;
  }

  private run(kind: OpKind): Promise<void> {
    switch (kind) {
      case "read":
        return this.read();
      case "search":
        return this.search();
      case "write":
        return this.write();
      case "batch":
        return this.batch();
      case "key":
        return this.keyChange();
    }
  }

  private async read(): Promise<void> {
    const recent = this.live.slice(-LIVE_WINDOW / 2);
    const id = recent[Math.floor(Math.random() * recent.length)];
    // Before the first write lands there is nothing to read but the (empty) list.
    const path = id === undefined ? this.docs("") : this.docs(`/${id}`);
    this.expect("read", await this.call("GET", path, undefined), 200);
  }

  private async search(): Promise<void> {
    const answer = await this.call("POST", `/v1/retrievers/${this.target.retrieverId}/execute`, {
      query: { vector: this.vector() },
    });
    this.expect("search", answer, 200);
  }

  private async write(): Promise<void> {
    const roll = Math.random();
    const newest = this.live[this.live.length - 1];
    if (roll < 0.25 && newest !== undefined) {
      const updated = await this.call("PATCH", this.docs(`/${newest}`), {
        metadata: { n: this.sequence++, kind: "updated" },
      });
      this.expect("write", updated, 200);
      return;
    }
    const id = `soak-${this.sequence++}`;
    const created = await this.call("POST", this.docs(""), this.document(id));
    if (this.expect("write", created, 201)) this.live.push(id);
    await this.trim();
  }

  /** Sends a batch, and checks earlier ones ended well: its documents join the live set then. */
  private async batch(): Promise<void> {
    const now = Date.now();
    // Taken off the list before the awaits, so a concurrent batch op does not check them twice.
    for (const pending of this.pendingBatches.splice(0)) {
      const view = await this.call("GET", `/v1/batches/${pending.id}`, undefined);
      const status = view.body.status;
      if (status === "completed" && view.body.failed === 0) {
        this.live.push(...pending.documentIds);
      } else if (status === "completed" || status === "failed" || now - pending.since > BATCH_DEADLINE_MS) {
        this.fail("batch", `batch ${pending.id}: ${JSON.stringify(view.body)}`);
      } else {
        this.pendingBatches.push(pending);
      }
    }
    const ids = Array.from({ length: BATCH_SIZE }, () => `soak-${this.sequence++}`);
    const sent = await this.call("POST", this.docs("/batch"), {
      documents: ids.map((id) => this.document(id)),
    });
    if (this.expect("batch", sent, 202) && typeof sent.body.batch_id === "string") {
      this.pendingBatches.push({ id: sent.body.batch_id, documentIds: ids, since: now });
    }
    await this.trim();
  }

  /** A key's life: created, used, revoked, refused. */
  private async keyChange(): Promise<void> {
    const created = await this.call("POST", "/v1/api-keys", {
      name: `soak-${this.sequence++}`,
      permissions: ["read"],
      namespaces: [this.target.namespace],
    });
    if (!this.expect("key", created, 201)) return;
    const { key_id: keyId, api_key: apiKey } = created.body;
    if (typeof keyId !== "string" || typeof apiKey !== "string")
      return this.fail("key", "no key in the answer");
    this.expect("key", await this.call("GET", "/v1/whoami", undefined, apiKey), 200);
    this.expect("key", await this.call("DELETE", `/v1/api-keys/${keyId}`, undefined), 200);
  }

  private async trim(): Promise<void> {
    while (this.live.length > LIVE_WINDOW) {
      const oldest = this.live.shift();
      if (oldest === undefined) return;
      this.expect("write", await this.call("DELETE", this.docs(`/${oldest}`), undefined), 200);
    }
  }

  private document(id: string): Record<string, unknown> {
    return {
      document_id: id,
      metadata: { n: this.sequence, kind: id.length % 2 === 0 ? "even" : "odd" },
      text: `soak document ${id}`,
      features: { [this.target.featureUri]: this.vector() },
    };
  }

  private vector(): number[] {
    return Array.from({ length: this.target.dimensions }, () => Math.random() - 0.5);
  }

  private docs(path: string): string {
    return `/v1/collections/${this.target.collectionId}/documents${path}`;
  }

  private expect(kind: OpKind, answer: Answer, status: number): boolean {
    if (answer.status === status) return true;
    this.fail(
      kind,
      `${kind}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
    );
    return false;
  }

  private fail(kind: OpKind, sample: string): void {
    this.counts.errors[kind]++;
    if (this.counts.samples.length < 10) this.counts.samples.push(sample);
  }

  private async call(
    method: string,
    path: string,
    body: unknown,
    key = this.target.adminKey,
  ): Promise<Answer> {
    const response = await fetch(`${this.target.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        "x-namespace": this.target.namespace,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }
}

function pick(roll: number): OpKind {
  const total = OP_KINDS.reduce((sum, kind) => sum + WEIGHTS[kind], 0);
  let left = roll * total;
  for (const kind of OP_KINDS) {
    left -= WEIGHTS[kind];
    if (left < 0) return kind;
  }
  return "read";
}
