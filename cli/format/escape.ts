/**
 * Escapers per output medium, for text that may come from a server: webhook URLs, deploy key titles,
 * `last_response` messages, error bodies, account and repository names. Every formatter in
 * cli/format/ and the CLI's error printing pass such text through the escaper of the medium they
 * write, so remote text is always shown and never acted on:
 * - a terminal (text plans and reports, stderr): control and format characters become visible
 *   escapes, so an escape sequence cannot clear the screen or retitle the window, and a line
 *   break cannot start a forged plan line or a forged `FILE:LINE:COL:` error;
 * - markdown (pull-request comments): the same, then markdown and HTML syntax escaped, so a title
 *   cannot open a heading, an image, a link or a `<details>` that swallows the rest of the comment;
 * - JSON and SARIF need nothing here: `JSON.stringify` escapes control characters, and the values
 *   stay the exact text the server sent (SARIF's `message.text` is plain text by definition).
 */

/** C0 and C1 controls, DEL, Unicode format characters (bidi overrides, zero-width) and line/paragraph separators. */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** One line of terminal text: each control or format character as a visible `\xHH` or `\u{HHHH}` escape. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}

/** Markdown characters that start emphasis, code, links, images, headings or strikethrough, and the backslash itself. */
const MARKDOWN = /[\\`*_[\]#!~]/g;

/**
 * Inline markdown text that renders as exactly these characters: controls escaped as in
 * {@link terminalText}, markdown punctuation backslash-escaped, `&`, `<`, `>` and `|` as HTML
 * entities (`&#124;` keeps a table cell whole, where `\|` would be split by a later `cell()`).
 */
export function markdownText(text: string): string {
  return terminalText(text)
    .replace(MARKDOWN, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "&#124;");
}

/** HTML text (a `<summary>` line): controls escaped, then `&`, `<`, `>` and quotes as entities. */
export function htmlText(text: string): string {
  return terminalText(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
