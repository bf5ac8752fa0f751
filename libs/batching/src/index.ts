export { chunksOf } from "./chunks-of.js";
export { groupCommit } from "./group-commit.js";
