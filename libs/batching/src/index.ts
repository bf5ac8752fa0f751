// Batching helpers with no infrastructure behind them: a domain may import these.
export { groupCommit } from "./group-commit.js";
