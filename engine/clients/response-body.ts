/**
 * Turns the text of a successful answer into data, or refuses it: an answer that is not complete,
 * well-formed JSON of the shape the endpoint documents is an error (retried where safe), never an
 * empty list, and every known credential is removed from it before anyone prints or stores it.
 */
import { UnusableResponseError } from "./guarded-fetch.js";
import { redactData } from "../model/redaction.js";

/**
 * What a successful body must be: a JSON array (a list page), a JSON object, either, anything
 * including nothing (204), or `text`: a raw file (Bitbucket's `src`), kept as text.
 */
export type BodyShape = "array" | "object" | "object-or-array" | "empty-or-json" | "text";

/** The parsed, redacted body; throws `UnusableResponseError` (retryable) when it is not of `shape`. */
export function parseBody(text: string, shape: BodyShape, status: number, secrets: readonly string[]): unknown {
  if (shape === "text") return redactData(text, secrets);
  if (text.trim() === "") {
    if (shape === "empty-or-json") return undefined;
    throw new UnusableResponseError(`HTTP ${status} with an empty body where JSON was expected`, true, status);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnusableResponseError(`HTTP ${status} whose body is not complete JSON`, true, status);
  }
  const actual = parsed === null ? "null" : Array.isArray(parsed) ? "array" : typeof parsed;
  const fits = shape === "empty-or-json" || (shape === "object-or-array" ? actual === "object" || actual === "array" : actual === shape);
  if (!fits) {
    const expected = shape === "object-or-array" ? "object or array" : shape;
    throw new UnusableResponseError(`HTTP ${status} whose body is JSON ${actual}, where a JSON ${expected} was expected`, true, status);
  }
  return redactData(parsed, secrets);
}
