/** Markdown structure for GitHub-flavoured tables and inline code; the text inside is escaped by escape.ts. */
import { htmlText, terminalText } from "./escape.js";

/** A table cell: pipes escaped (GitHub splits cells on them even in code), line breaks folded. Escape its text with `markdownText` first. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Inline code that survives backticks inside (uses a longer fence when needed); controls are escaped, the rest is literal in code. */
export function code(raw: string): string {
  const text = terminalText(raw);
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** HTML-escaped text for `<summary>` lines. */
export function html(text: string): string {
  return htmlText(text);
}
