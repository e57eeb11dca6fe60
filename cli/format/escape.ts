/**
 * Escapers per output medium, for text that may come from a server: webhook URLs, deploy key titles,
 * `last_response` messages, error bodies, account and repository names. Every formatter in
 * cli/format/ and cli/report/ and the CLI's error printing pass such text through the escaper of the
 * medium they write, so remote text is always shown and never acted on:
 * - a terminal (text plans and reports, stderr): control and format characters become visible
 *   escapes, so an escape sequence cannot clear the screen or retitle the window, and a line
 *   break cannot start a forged plan line or a forged `FILE:LINE:COL:` error;
 * - markdown (pull-request comments, read on GitHub): the same, then every construct that would
 *   act: emphasis, headings, links, images, raw HTML, tables' pipes, math, and what GitHub links by
 *   itself in plain text (`@user` and `@org/team` mentions, which notify people; `#123` references;
 *   `https://…`, `www.…` and e-mail addresses). Prose goes through {@link markdownText}, identifiers
 *   through {@link markdownCode}, `<summary>` lines through {@link markdownHtml}, and the only links
 *   a comment has are {@link markdownAutolink}'s, to the hosts manual steps point at;
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

/** Markdown characters that start emphasis, code, links, images, headings, strikethrough or math, and the backslash itself. */
const MARKDOWN = /[\\`*_[\]#!~$]/g;

/**
 * A zero-width space, written as an entity so the markdown source shows it. Placed after the `@` of a
 * mention (or inside `://`, `www.`, `#1`), it renders as nothing, yet GitHub no longer sees a mention,
 * a reference or a bare URL to link: its filters read the rendered text, where `&#64;` would be a
 * plain `@` again and ping.
 */
const BREAK = "&#8203;";

/** What GitHub links in rendered text on its own, each split by {@link BREAK}. */
function unlinked(escaped: string): string {
  return (
    escaped
      .replace(/@/g, `@${BREAK}`)
      .replace(/:\/\//g, `:/${BREAK}/`)
      .replace(/\b(www)\./gi, `$1${BREAK}.`)
      // Not the `#` of an entity written above (`&#124;`).
      .replace(/(?<!&)#(?=\d)/g, `#${BREAK}`)
  );
}

/**
 * Inline markdown text that renders as exactly these characters and does nothing else: controls
 * escaped as in {@link terminalText}, markdown punctuation backslash-escaped, `&`, `<`, `>` and `|`
 * as HTML entities (`&#124;` keeps a table cell whole, where `\|` would be split by a later
 * `cell()`), a list or heading marker at the start escaped, and mentions, references and bare URLs
 * split by a zero-width space.
 */
export function markdownText(text: string): string {
  const escaped = terminalText(text)
    .replace(MARKDOWN, (ch) => `\\${ch}`)
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "&#124;");
  return unlinked(escaped);
}

/**
 * Inline code: the text literally, whatever it holds. The fence is one backtick longer than the
 * longest run of backticks inside, so no run can close it; a space pads text that starts or ends
 * with a backtick (or with spaces on both sides, which CommonMark would strip). GitHub neither
 * links nor mentions inside code. Controls are escaped as in {@link terminalText}.
 */
export function markdownCode(raw: string): string {
  const text = terminalText(raw);
  if (text === "") return "` `";
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || (text.startsWith(" ") && text.endsWith(" ") && text.trim() !== "") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text inside an HTML block of a markdown comment (a `<summary>` line): HTML-escaped, and mentions, references and URLs split as in {@link markdownText}. */
export function markdownHtml(text: string): string {
  return unlinked(htmlText(text));
}

/**
 * The hosts manual steps send people to (engine/reconcile/manual-steps.ts); a URL elsewhere (a
 * report file given to `--merge` may say anything) is shown as text, not as a link.
 */
const LINKED_HOSTS = new Set(["github.com", "bitbucket.org", "hub.docker.com"]);

/** A manual step's `https://` URL on a known host as an autolink; anything else as escaped text. */
export function markdownAutolink(url: string): string {
  if (!/^https:\/\/[^\s<>`"\\]+$/.test(url) || !URL.canParse(url)) return markdownText(url);
  return LINKED_HOSTS.has(new URL(url).hostname) ? `<${url}>` : markdownText(url);
}

/** HTML text (the HTML report; {@link markdownHtml} builds on it): controls escaped, then `&`, `<`, `>` and quotes as entities. */
export function htmlText(text: string): string {
  return terminalText(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
