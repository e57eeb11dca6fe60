/**
 * A run's redaction set lists the same array while it is unchanged (so the redactor built for it is
 * found by identity on every answer), and a new array the moment a credential joins, so a credential
 * derived mid-run is redacted from the very next text.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { redactText } from "../../engine/model/redaction.js";
import { Secret, SecretSet } from "../../engine/model/secret.js";

/** A credential-looking value per label, made at run time (no token-shaped literal in the source, no shared fragment). */
const made = new Map<string, string>();
const credential = (label: string): string => {
  if (!made.has(label)) made.set(label, `sbx-${label}-${randomBytes(12).toString("hex")}`);
  return made.get(label)!;
};

describe("SecretSet values and the redactor", () => {
  it("lists the same array until a credential joins, and a new one after", () => {
    const set = new SecretSet([new Secret(credential("configured"))]);
    const first = set.values();
    expect(set.values()).toBe(first);
    set.add(new Secret(credential("configured")));
    expect(set.values()).toBe(first);
    set.derive(credential("derived"));
    const second = set.values();
    expect(second).not.toBe(first);
    expect(second).toEqual([credential("configured"), credential("derived")]);
    expect(Object.isFrozen(second)).toBe(true);
  });

  it("redacts a credential derived after the set's redactor was first used", () => {
    const set = new SecretSet([new Secret(credential("configured"))]);
    const late = credential("installation");
    expect(redactText(`token ${late}`, set.values())).toBe(`token ${late}`);
    set.derive(late);
    expect(redactText(`token ${late}`, set.values())).toBe("token [redacted]");
    expect(redactText(`token ${credential("configured")}`, set.values())).toBe("token [redacted]");
  });
});
