export { chunksOf } from "./chunks-of.js";
export { groupCommit } from "./group-commit.js";
export { type TakenLater, takenLater } from "./taken-later.js";
