import type { Caller } from "@strata/access";
import type { MetricName, TierName } from "@strata/contracts";
import type { DocStore } from "@strata/docstore";
import type { AppError, Result } from "@strata/errors";
import type { Outcome } from "./tables.js";

/** The time policies are judged by; tests move it to cover weeks in seconds. */
export type Clock = () => Date;

export type MoveReason = "policy" | "access" | "read";

export interface MoveRequest {
  readonly collectionId: string;
  readonly documentId: string;
  readonly targetTier: TierName;
  /** The move happens only if the document is still here (else a conflict). */
  readonly expectedTier: TierName;
}

export interface MoveAnswer {
  readonly collectionId: string;
  readonly documentId: string;
  readonly outcome: Outcome;
  /** The tier it is in after the call, when the namespace service says. */
  readonly tier: TierName | undefined;
}

export interface TierStat {
  readonly collectionId: string;
  readonly tier: TierName;
  readonly documents: number;
  readonly vectorBytes: number;
}

export interface TierPlacement {
  readonly collectionId: string;
  readonly documentId: string;
  readonly tier: TierName;
  readonly createdAt: Date;
  readonly tierChangedAt: Date;
}

/** The namespace service's TierService: it owns the documents and their tier pointers. */
export interface TierMover {
  /** One answer per move, in order. */
  moveDocuments(
    organizationId: string,
    namespaceId: string,
    moves: readonly MoveRequest[],
    reason: MoveReason,
  ): Promise<Result<MoveAnswer[], AppError>>;
  tierStats(organizationId: string, namespaceId: string): Promise<Result<TierStat[], AppError>>;
  listPlacements(
    organizationId: string,
    namespaceId: string,
    pageToken: string,
  ): Promise<Result<{ readonly placements: TierPlacement[]; readonly nextPageToken: string }, AppError>>;
}

export interface CollectionMetrics {
  readonly collectionId: string;
  readonly collectionName: string;
  readonly metrics: readonly MetricName[];
}

/** The namespace service's answers about namespaces and collections, asked as the caller. */
export interface NamespaceDirectory {
  /** Every collection of the namespace with the metrics of its features; not_found when unreachable. */
  collections(caller: Caller, namespaceId: string): Promise<Result<CollectionMetrics[], AppError>>;
  /** Whether the namespace exists in the organization. */
  isLive(organizationId: string, namespaceId: string): Promise<Result<boolean, AppError>>;
}

export type WarmBackend = "embedded" | "s3vectors";

/** USD per GB-month of stored vectors, per tier. */
export type TierPrices = Readonly<Record<TierName, number>>;

export interface TieringSettings {
  readonly warmBackend: WarmBackend;
  readonly prices: TierPrices;
  /** Moves per MoveDocuments call (≤ 1,000). */
  readonly batchSize: number;
  /** Documents moved per second at most, per replica. */
  readonly docsPerSecond: number;
  /** How long a sweep lease lasts without renewal: how soon another replica resumes a dead one's job. */
  readonly leaseMs: number;
  /** This replica's name in leases. */
  readonly replicaId: string;
}

export interface TieringPorts {
  readonly store: DocStore;
  readonly clock: Clock;
  readonly mover: TierMover;
  readonly directory: NamespaceDirectory;
  readonly settings: TieringSettings;
  /** Waits; the rate limit paces moves in real time whatever the clock says. */
  readonly sleep: (ms: number) => Promise<void>;
}
