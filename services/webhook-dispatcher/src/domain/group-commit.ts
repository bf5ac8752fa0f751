// Group commit is a pure function that lives in @strata/bus now, beside the consumers that batch
// their events with it (the document.created consumers of acl-query and tier-migrator too).
export { groupCommit } from "@strata/bus";
