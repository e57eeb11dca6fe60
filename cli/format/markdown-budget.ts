/**
 * Markdown that fits where it is posted: GitHub rejects a comment body over 65,536 characters, so the
 * markdown formats build their text through a budget. Fixed parts (counts, closing note) are always
 * written; lists are written while they fit, and what did not fit is counted by the caller.
 */

/** GitHub's cap on an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** The default budget: under the cap with room for a marker or heading a workflow wraps around the output. */
export const DEFAULT_MARKDOWN_BUDGET = 60_000;

/** Lines under a character budget (a line costs its length plus its newline). */
export class MarkdownBudget {
  readonly #lines: string[] = [];
  #used = 0;
  readonly #limit: number;

  /** `limit`: the most characters the text may have. */
  constructor(limit: number = DEFAULT_MARKDOWN_BUDGET) {
    this.#limit = limit;
  }

  /** Characters still free once `reserve` is kept back. */
  room(reserve = 0): number {
    return this.#limit - reserve - this.#used;
  }

  /** Adds `lines` when they fit with `reserve` characters left over; returns whether they were added. */
  tryAdd(lines: readonly string[], reserve = 0): boolean {
    const cost = sizeOf(lines);
    if (cost > this.room(reserve)) return false;
    this.#lines.push(...lines);
    this.#used += cost;
    return true;
  }

  /** Adds `lines` unconditionally: for the small fixed parts the reserve was kept for. */
  add(lines: readonly string[]): void {
    this.#lines.push(...lines);
    this.#used += sizeOf(lines);
  }

  /** The text, one newline after each line. */
  text(): string {
    return this.#lines.map((l) => `${l}\n`).join("");
  }
}

/** Characters `lines` take, one newline each. */
export function sizeOf(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}
