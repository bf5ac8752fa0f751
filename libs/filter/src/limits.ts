/** Bounds on user-written filters: they keep parsing, translation and index work cheap. */
export const MAX_DEPTH = 8;
export const MAX_CONDITIONS = 100;
export const MAX_SET_VALUES = 1_000;
export const MAX_STRING_LENGTH = 4_096;
export const MAX_FIELD_LENGTH = 256;
/**
 * Values one translated filter may compare fields with, in all. A filter is expanded after parsing (a
 * taxonomy label becomes the label and each of its descendants, `$user.roles` the caller's roles), so
 * MAX_SET_VALUES cannot bound it; this does, and a larger filter is refused (422), never sent to a store.
 * A whole 10,000-label taxonomy fits five times over; a set this size takes SQLite ~50 ms.
 */
export const MAX_EXPANDED_VALUES = 50_000;
/** Issues reported for one filter; more only repeat the same mistake. */
export const MAX_ISSUES = 50;

/**
 * Dotted field paths. The same pattern as the DocStore's (its SQLite adapter inlines paths into SQL),
 * so a parsed filter always translates without tripping the DocStore's own validation.
 */
export const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
