/** Durations as a user writes them (`24h`, `90m`, `7d`): the sweeps' `verifyEvery` and the CLI's `--verify-every`. */

const UNITS: Record<string, number> = { s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration such as `24h`, `90m`, `7d`, `3600s`; null when it is not one (or is zero). */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,9})(s|m|min|h|d)$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  return ms > 0 ? ms : null;
}
