/**
 * "No secret appears" as one assertion. A loop of `not.toContain` over an empty list passes whatever
 * the text holds, so a world, an environment or a filter that stopped yielding secrets would hide
 * every leak: the list must hold something to look for.
 */
import { expect } from "vitest";

/** Asserts that `secrets` is not empty and that no element of it occurs in `text` (`where` names the text in a failure). */
export function expectNoSecretIn(text: string, secrets: readonly string[], where = "the text"): void {
  expect(secrets.length, `no secret to look for in ${where}`).toBeGreaterThan(0);
  for (const secret of secrets) expect(text, `a secret in ${where}`).not.toContain(secret);
}
