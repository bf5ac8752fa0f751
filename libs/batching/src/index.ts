export { groupCommit } from "./group-commit.js";
