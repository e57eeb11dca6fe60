/**
 * What a markdown comment does once rendered, read the way GitHub acts on it: a CommonMark renderer
 * (markdown-it, with tables, raw HTML and bare-URL linking on, as GitHub has them) parses the text,
 * and the audit lists every link, image and HTML tag it made, every `@mention`, `#123` reference
 * and bare URL left in plain text for GitHub to link, and the text a reader sees.
 */
import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";

/** Everything a rendered comment does besides showing text. */
export interface MarkdownAudit {
  /** Targets of links (autolinks, inline links, linkified URLs). */
  links: string[];
  /** Sources of images. */
  images: string[];
  /** Every HTML tag, as written (`<details>`). */
  tags: string[];
  /** Plain text GitHub would turn into a mention (a notification), a reference or a link. */
  linkable: string[];
  /** The contents of the code spans. */
  codeSpans: string[];
  /** The text a reader sees (plain text and code), zero-width spaces removed. */
  visible: string;
}

const md = new MarkdownIt({ html: true, linkify: true });

/** `@user`, `@org/team`, `#1`, `https://…`, `www.…` and `a@b.c` as GitHub finds them in rendered text. */
const LINKABLE = /(?:^|[^A-Za-z0-9_])@[A-Za-z0-9][\w/-]*|(?:^|[^A-Za-z0-9_&])#\d+|\b(?:https?|ftp):\/\/\S*|\bwww\.\S*/gi;

const TAG = /<[!?/A-Za-z][^>]*>/g;

/** Renders `text` and lists what it does. */
export function auditMarkdown(text: string): MarkdownAudit {
  const audit: MarkdownAudit = { links: [], images: [], tags: [], linkable: [], codeSpans: [], visible: "" };
  const plain = (content: string): void => {
    audit.linkable.push(...(content.match(LINKABLE) ?? []).map((m) => m.trim()));
    audit.visible += content;
  };
  const walk = (tokens: readonly Token[]): void => {
    let inLink = 0;
    for (const token of tokens) {
      switch (token.type) {
        case "link_open":
          inLink++;
          audit.links.push(String(token.attrGet("href") ?? ""));
          break;
        case "link_close":
          inLink--;
          break;
        case "image":
          audit.images.push(String(token.attrGet("src") ?? ""));
          break;
        case "html_block":
        case "html_inline": {
          audit.tags.push(...(token.content.match(TAG) ?? []));
          // GitHub's filters read the text between the tags too, entities decoded.
          plain(md.utils.unescapeAll(token.content.replace(TAG, " ")));
          break;
        }
        case "code_inline":
        case "code_block":
        case "fence":
          audit.codeSpans.push(token.content);
          audit.visible += token.content;
          break;
        case "text":
          if (inLink > 0) audit.visible += token.content;
          else plain(token.content);
          break;
        case "softbreak":
        case "hardbreak":
          audit.visible += "\n";
          break;
      }
      if (token.children) walk(token.children);
    }
  };
  walk(md.parse(text, {}));
  audit.visible = audit.visible.replace(/\u200b/g, "");
  return audit;
}
