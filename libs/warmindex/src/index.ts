export type { EmbeddedWarmIndexOptions } from "./embedded/embedded-warm-index.js";
export { openEmbeddedWarmIndex } from "./embedded/embedded-warm-index.js";
export type { WarmIndex, WarmIndexStats, WarmSpace, WarmSpaceStats } from "./port.js";
