export type { EmbeddedWarmIndexOptions } from "./embedded/embedded-warm-index.js";
export { openEmbeddedWarmIndex } from "./embedded/embedded-warm-index.js";
export type { WarmIndex, WarmIndexStats, WarmSpace, WarmSpaceStats } from "./port.js";
export type { S3VectorsWarmIndexOptions } from "./s3vectors/s3-vectors-warm-index.js";
export { openS3VectorsWarmIndex } from "./s3vectors/s3-vectors-warm-index.js";
