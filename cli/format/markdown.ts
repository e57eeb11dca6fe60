/** Escaping for GitHub-flavoured markdown tables and inline code. */

/** Text safe inside a table cell: pipes escaped, newlines folded. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Inline code that survives backticks inside (uses a longer fence when needed). */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** HTML-escaped text for `<summary>` lines. */
export function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
