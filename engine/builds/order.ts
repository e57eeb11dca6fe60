/** A code-unit order for rendered lists: unlike `localeCompare`, it does not depend on the machine's locale, so output bytes do not either. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
