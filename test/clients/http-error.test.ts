/**
 * Redaction of echoed credentials: the forms that slipped through before, a
 * base64 echo wrapped into lines and a credential cut short, in error text and in parsed answers.
 */
import { describe, expect, it } from "vitest";
import { HttpError } from "../../engine/clients/http-error.js";
import { redactData, redactText } from "../../engine/model/redaction.js";

const SECRET = "sbx-bb-5f3a9c2b1d0e4f6a8b7c9d0e1f2a3b4c";
const USER = "acme-bb-builder";
const BASIC = Buffer.from(`${USER}:${SECRET}`).toString("base64");

/** `text` wrapped into lines of `width` characters joined by `newline`. */
function wrap(text: string, width: number, newline: string): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join(newline);
}

describe("redactText", () => {
  it.each([
    ["real line breaks (MIME, 16 a line)", "\n"],
    ["CRLF line breaks", "\r\n"],
    ["JSON-escaped line breaks", "\\n"],
  ])("removes a Basic credential echoed as base64 wrapped with %s", (_name, newline) => {
    const echoed = `you sent: ${wrap(BASIC, 16, newline)} (rejected)`;
    const out = redactText(echoed, [SECRET]);
    expect(out).toBe("you sent: [redacted] (rejected)");
  });

  it.each([
    ["a prefix cut short", `token ${SECRET.slice(0, 20)}…`, "token [redacted]…"],
    ["its tail after a partial redaction", `key=***${SECRET.slice(-16)}`, "key=***[redacted]"],
    ["a run of 12 characters from its middle", `x${SECRET.slice(10, 22)}y`, "x[redacted]y"],
  ])("removes %s", (_name, text, expected) => {
    expect(redactText(text, [SECRET])).toBe(expected);
  });

  it("leaves runs shorter than 12 characters and unrelated text alone", () => {
    const text = `sbx-bb-5f3a and ${"a".repeat(40)} and https://ci.acme.example/hooks/bitbucket`;
    expect(redactText(text, [SECRET])).toBe(text);
  });
});

describe("redactData", () => {
  it("redacts every string and key of parsed JSON, leaving other values as they are", () => {
    const data = { values: [{ url: `https://h.example/?k=${SECRET}`, active: true, n: 3, note: null }], [SECRET]: "key" };
    expect(redactData(data, [SECRET])).toEqual({
      values: [{ url: "https://h.example/?k=[redacted]", active: true, n: 3, note: null }],
      "[redacted]": "key",
    });
  });
});

describe("HttpError", () => {
  it("keeps no prefix of a credential a server cut short in its error text", () => {
    const error = new HttpError({
      status: 401,
      service: "bitbucket",
      method: "GET",
      url: "https://api.example/x",
      detail: `bad password ${SECRET.slice(0, 16)}`,
      secrets: [SECRET],
    });
    expect(error.message).toBe("bitbucket: GET https://api.example/x failed: HTTP 401: bad password [redacted]");
  });
});
