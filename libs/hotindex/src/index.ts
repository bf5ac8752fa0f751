export { BruteForceCosine } from "./brute-force.js";
export type { ClusteredVectors, ClusteredVectorsOptions } from "./clustered-vectors.js";
export { clusteredVectors, gaussianSource, mulberry32 } from "./clustered-vectors.js";
export type { EmbeddedHotIndexOptions } from "./embedded/embedded-hot-index.js";
export { openEmbeddedHotIndex } from "./embedded/embedded-hot-index.js";
export type { ScanTable, SlotScorer } from "./embedded/exact-scan.js";
export { scanRange, scanSlots, slotScorer } from "./embedded/exact-scan.js";
export type { GraphOptions } from "./embedded/hnsw-graph.js";
export { DEFAULT_GRAPH_OPTIONS } from "./embedded/hnsw-graph.js";
export type { PlannerOptions } from "./embedded/space-search.js";
export { DEFAULT_PLANNER } from "./embedded/space-search.js";
export { TopK } from "./embedded/top-k.js";
export type {
  CopiedRecord,
  DocRef,
  Hit,
  HotIndex,
  HotIndexStats,
  HotRecord,
  HotSearch,
  HotSpace,
  Metric,
  SpaceCopyReport,
  SpaceStats,
  StagedWrite,
  StoredVector,
} from "./port.js";
export { MAX_K } from "./port.js";
export type { QdrantHotIndexOptions } from "./qdrant/qdrant-hot-index.js";
export { openQdrantHotIndex } from "./qdrant/qdrant-hot-index.js";
export { qdrantCollectionName, qdrantPointId } from "./qdrant/qdrant-naming.js";
export { cosineFrom, euclideanDistanceForScore, euclideanScore, exactScore, norm } from "./scoring.js";
export { sameSpace, spaceKey } from "./space-key.js";
export {
  validateRecords,
  validateSearch,
  validateSpace,
  validateVector,
} from "./validate.js";
