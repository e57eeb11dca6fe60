/**
 * `redactData` copies only what it changes: an answer holding no secret comes back as the same object
 * (a 600 KB listing page is not built twice), a changed one shares its untouched subtrees with the input
 * and leaves the input as it was, and a JSON `__proto__` key stays an own data property of the copy.
 */
import { describe, expect, it } from "vitest";
import { redactData } from "../../engine/model/redaction.js";

const SECRET = "ghp_Q7mZ2xK9vT4bN8cL1pR6sW3y";
const SECRETS = [SECRET, "sbx-other-credential-value"];

/** A parsed listing page: webhook objects with nested config and last_response. */
function page(): Record<string, unknown>[] {
  return JSON.parse(
    JSON.stringify([
      { id: 1, events: ["push"], config: { url: "https://ci.example/hooks/1", insecure_ssl: "0" }, last_response: { code: 200 } },
      { id: 2, events: ["push", "release"], config: { url: "https://ci.example/hooks/2", secret: "********" }, last_response: null },
      { id: 3, events: [], config: { url: "https://ci.example/hooks/3" }, last_response: { code: null, message: "timeout" } },
    ]),
  ) as Record<string, unknown>[];
}

describe("redactData", () => {
  it("returns a document that holds no secret as the same reference, at every level", () => {
    const data = page();
    expect(redactData(data, SECRETS)).toBe(data);
    const one = data[0]!;
    expect(redactData(one, SECRETS)).toBe(one);
    expect(redactData({ nested: { deep: [{ text: "nothing to hide" }] } }, SECRETS)).toEqual({
      nested: { deep: [{ text: "nothing to hide" }] },
    });
  });

  it("redacts a secret in one nested string, leaves the input unchanged and shares the untouched subtrees", () => {
    const data = page();
    (data[1]!["config"] as Record<string, unknown>)["url"] = `https://ci.example/hooks/2?token=${SECRET}`;
    const before = structuredClone(data);

    const out = redactData(data, SECRETS) as Record<string, unknown>[];

    expect(out).not.toBe(data);
    expect(data).toEqual(before);
    expect((out[1]!["config"] as Record<string, unknown>)["url"]).toBe("https://ci.example/hooks/2?token=[redacted]");
    expect(JSON.stringify(out)).not.toContain(SECRET);
    // Only the path to the changed string is copied.
    expect(out[1]).not.toBe(data[1]);
    expect(out[1]!["config"]).not.toBe(data[1]!["config"]);
    expect(out[0]).toBe(data[0]);
    expect(out[2]).toBe(data[2]);
    expect(out[1]!["events"]).toBe(data[1]!["events"]);
    expect(out[1]!["last_response"]).toBe(data[1]!["last_response"]);
    // Everything else keeps its value and key order.
    expect(Object.keys(out[1]!)).toEqual(Object.keys(data[1]!));
    expect(out).toEqual([
      before[0],
      { ...before[1], config: { url: "https://ci.example/hooks/2?token=[redacted]", secret: "********" } },
      before[2],
    ]);
  });

  it("keeps a JSON __proto__ key as an own data property of the copy, with the copy's prototype Object.prototype", () => {
    const data = JSON.parse(`{"before":{"a":1},"__proto__":{"polluted":"${SECRET}"},"after":"x"}`) as Record<string, unknown>;
    expect(Object.hasOwn(data, "__proto__")).toBe(true);

    const out = redactData(data, SECRETS) as Record<string, unknown>;

    expect(out).not.toBe(data);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ polluted: "[redacted]" });
    expect(Object.keys(out)).toEqual(["before", "__proto__", "after"]);
    expect(out["before"]).toBe(data["before"]);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("keeps a __proto__ key that sits before the changed one as an own property too", () => {
    const data = JSON.parse(`{"__proto__":{"keep":true},"url":"https://h.example/?t=${SECRET}"}`) as Record<string, unknown>;
    const out = redactData(data, SECRETS) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toBe(Object.getOwnPropertyDescriptor(data, "__proto__")?.value);
    expect(out["url"]).toBe("https://h.example/?t=[redacted]");
  });

  it("redacts a secret in a key", () => {
    const untouched = { id: 7 };
    const data = { untouched, [`hook-${SECRET}`]: "value" };
    const out = redactData(data, SECRETS) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["untouched", "hook-[redacted]"]);
    expect(out["hook-[redacted]"]).toBe("value");
    expect(out["untouched"]).toBe(untouched);
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });
});
