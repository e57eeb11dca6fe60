/** Benchmark figures: one printed line each, with the target it is checked against. */

/** How a figure is checked. */
export interface Target {
  op: "<" | "<=" | "==";
  limit: number;
}

/** One measured figure. */
export interface Figure {
  /** `a.refresh.wallSeconds`. */
  key: string;
  value: number;
  target?: Target;
  /** What the number means or what it is compared with, printed in parentheses. */
  note?: string;
}

/** Whether a figure meets its target (a figure without one always does). */
export function meets(figure: Figure): boolean {
  const t = figure.target;
  if (!t) return true;
  if (!Number.isFinite(figure.value)) return false;
  if (t.op === "<") return figure.value < t.limit;
  if (t.op === "<=") return figure.value <= t.limit;
  return figure.value === t.limit;
}

/** `a.refresh.wallSeconds 14.2 (target < 25)`, or `… MISSED` when the target is not met. */
export function formatFigure(figure: Figure): string {
  const parts: string[] = [];
  if (figure.target) parts.push(`target ${figure.target.op} ${figure.target.limit}`);
  if (figure.note) parts.push(figure.note);
  const suffix = parts.length > 0 ? ` (${parts.join("; ")})` : "";
  return `${figure.key} ${round(figure.value)}${suffix}${meets(figure) ? "" : " MISSED"}`;
}

/** Three significant decimals at most, integers as they are. */
export function round(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  return Math.round(value * 1000) / 1000;
}
