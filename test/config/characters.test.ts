import { describe, expect, test } from "vitest";
import { firstInvalidUtf8, firstNonPrintable, positionAfter } from "../../engine/config/characters.js";

describe("firstInvalidUtf8", () => {
  test.each([
    { name: "ASCII", bytes: [0x61, 0x62], expected: undefined },
    { name: "2, 3 and 4-byte forms", bytes: [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], expected: undefined },
    { name: "a stray continuation byte", bytes: [0x61, 0x80], expected: 1 },
    { name: "0xFF", bytes: [0x61, 0x62, 0xff], expected: 2 },
    { name: "an overlong '/' (C0 AF)", bytes: [0xc0, 0xaf], expected: 0 },
    { name: "an overlong 3-byte form (E0 80 AF)", bytes: [0x61, 0xe0, 0x80, 0xaf], expected: 1 },
    { name: "a UTF-16 surrogate (ED A0 80)", bytes: [0xed, 0xa0, 0x80], expected: 0 },
    { name: "above U+10FFFF (F4 90 80 80)", bytes: [0xf4, 0x90, 0x80, 0x80], expected: 0 },
    { name: "a sequence cut short", bytes: [0x61, 0xe2, 0x82], expected: 1 },
  ])("$name", ({ bytes, expected }) => {
    const buffer = Buffer.from(bytes);
    expect(firstInvalidUtf8(buffer)).toBe(expected);
    // The same verdict as Node's own validator.
    expect(expected === undefined).toBe(Buffer.from(buffer.toString("utf8"), "utf8").equals(buffer));
  });
});

describe("firstNonPrintable", () => {
  test.each([
    { text: "a: b\tc\r\nd: é 😀\n", expected: undefined },
    { text: "a: b\u001b[2J\n", expected: { offset: 4, codePoint: "U+001B" } },
    { text: "a: \u0000", expected: { offset: 3, codePoint: "U+0000" } },
    { text: "a: \u0085ok\u0086", expected: { offset: 6, codePoint: "U+0086" } },
    { text: "a: \ud800x", expected: { offset: 3, codePoint: "U+D800" } },
    { text: "a: x\udc00", expected: { offset: 4, codePoint: "U+DC00" } },
  ])("$text", ({ text, expected }) => {
    expect(firstNonPrintable(text)).toEqual(expected);
  });
});

test("positionAfter counts lines and UTF-16 columns as the YAML parser does", () => {
  expect(positionAfter("")).toEqual({ line: 1, column: 1 });
  expect(positionAfter("ab\ncd")).toEqual({ line: 2, column: 3 });
  expect(positionAfter("a\n\n")).toEqual({ line: 3, column: 1 });
});
