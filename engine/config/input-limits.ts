/**
 * Bounds on what a configuration file may make the loader do, so hostile input (an alias bomb, a
 * multi-gigabyte file, a thousand-level nesting) is refused with a located message before it costs
 * time or memory. Each bound is far above what a real configuration needs.
 */

/**
 * The largest configuration file read: 16 MiB. A 10,000-link config is about 2 MB (docs/performance.md
 * validates it in under a second), and files may be split: several files merge.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * The deepest nesting of lists and mappings accepted. A valid file nests 5 levels
 * (`buildService.oauthApps.github.clientId`); deeper data can only fail the schema, but walking it
 * recursively could exhaust the stack first.
 */
export const MAX_DEPTH = 32;

/**
 * How many values YAML aliases may add on top of what is written: the expanded document may hold
 * at most twice the written values, and never fewer than the written values plus this many.
 * Reusing an anchor for a few `onRevoke` or `repositories` blocks stays far below it; an alias bomb
 * (each level repeating the one before) exceeds it after a handful of levels.
 */
export const ALIAS_ALLOWANCE = 10_000;

/** The most values a document with `written` values may expand to through aliases. */
export function expansionBudget(written: number): number {
  return Math.max(2 * written, written + ALIAS_ALLOWANCE);
}

/**
 * The largest text whose YAML errors the `yaml` package describes (its messages and positions are
 * the ones users see for small files). Its parser is superlinear in the length of a mapping or
 * list, so beyond this js-yaml's own error and position are reported instead.
 */
export const MAX_YAML_PACKAGE_CHARS = 512 * 1024;

/**
 * The most problems one load reports, in file order; the rest are counted ("and N more"). A
 * generated file can hold a problem on every line, and no one reads past the first hundred.
 */
export const MAX_REPORTED_PROBLEMS = 100;

/** `16 MiB`, `2.5 MiB`, `900 KiB`: sizes in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** The message for a file over {@link MAX_FILE_BYTES}; `atLeast` when reading stopped at the limit. */
export function tooLargeMessage(bytes: number, atLeast = false): string {
  return (
    `the file is ${atLeast ? "more than " : ""}${formatBytes(bytes)}, over the ${formatBytes(MAX_FILE_BYTES)} limit for one configuration file: ` +
    `split it into several files (they merge: sourcelinks validate base.yaml teams/*.yaml)`
  );
}
