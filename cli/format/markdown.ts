/** Markdown structure for GitHub-flavoured tables, inline code and `<summary>` lines; the text inside is escaped by escape.ts. */
import { markdownCode, markdownHtml } from "./escape.js";

/** A table cell: pipes escaped (GitHub splits cells on them even in code), line breaks folded. Escape its text with `markdownText` first. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Inline code whatever the text holds (escape.ts `markdownCode`). */
export function code(raw: string): string {
  return markdownCode(raw);
}

/** Text for `<summary>` lines (escape.ts `markdownHtml`). */
export function html(text: string): string {
  return markdownHtml(text);
}
