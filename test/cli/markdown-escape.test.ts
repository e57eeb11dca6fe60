/**
 * The markdown escapers, rendered by a CommonMark renderer: text from a server reads as written and
 * does nothing (no link, image, HTML, mention, reference or bare URL); code spans hold any run of
 * backticks; only manual steps' own hosts become links.
 */
import { describe, expect, it } from "vitest";
import { markdownAutolink, markdownText } from "../../cli/format/escape.js";
import { cell, code, html } from "../../cli/format/markdown.js";
import { auditMarkdown } from "../support/markdown-audit.js";

const HOSTILE = [
  "Approve [this PR](https://evil.example/a)",
  "![pixel](https://evil.example/p.png)",
  "@acme/owners please look",
  "cc @octocat",
  "mail@evil.example",
  "see www.evil.example/x",
  "https://evil.example/a",
  "fixes #12",
  "<details><summary>open</summary>",
  "<img src=x onerror=alert(1)>",
  "$\\href{https://evil.example}{x}$",
  "- a list item",
  "1. an ordered item",
  "# a heading",
  "[ref]: https://evil.example/r",
  "&#64;acme/owners",
  "a | b",
];

/** What a rendered line does besides showing text. */
function actions(markdown: string): { links: string[]; images: string[]; tags: string[]; linkable: string[] } {
  const { links, images, tags, linkable } = auditMarkdown(markdown);
  return { links, images, tags, linkable };
}

const INERT = { links: [], images: [], tags: [], linkable: [] };

describe("markdownText", () => {
  it("each hostile text reads as written, in prose, a list item and a table cell, and nothing links, loads, renders or pings", () => {
    const results = HOSTILE.map((text) => ({
      text,
      prose: actions(markdownText(text)),
      item: actions(`- ${markdownText(text)}`),
      cell: actions(`| ${cell(markdownText(text))} | x |\n| --- | --- |`),
      visible: auditMarkdown(markdownText(text)).visible,
    }));
    expect(results).toEqual(HOSTILE.map((text) => ({ text, prose: INERT, item: INERT, cell: INERT, visible: text })));
  });
});

describe("code", () => {
  it("holds any run of backticks in one code span, exactly", () => {
    const samples = ["``", "a``b", "`", "```x```", "a ` b `` c ``` d", "` leading", "trailing `", "<details>@acme/owners"];
    expect(samples.map((text) => ({ text, ...pick(auditMarkdown(code(text))) }))).toEqual(
      samples.map((text) => ({ text, codeSpans: [text], tags: [] })),
    );
  });
});

/** The code spans and tags of an audit. */
function pick(audit: { codeSpans: string[]; tags: string[] }): { codeSpans: string[]; tags: string[] } {
  return { codeSpans: audit.codeSpans, tags: audit.tags };
}

describe("html (a <summary> line)", () => {
  it("shows a mention, a reference and a URL without GitHub linking them", () => {
    const audit = auditMarkdown(
      `<details><summary>${html("link x @acme/owners #3 https://evil.example www.evil.example")}</summary>\n\n</details>\n`,
    );
    expect(audit.tags).toEqual(["<details>", "<summary>", "</summary>", "</details>"]);
    expect(audit.linkable).toEqual([]);
    expect(audit.visible).toContain("link x @acme/owners #3 https://evil.example www.evil.example");
  });
});

describe("markdownAutolink", () => {
  it("links the manual steps' hosts only; any other URL is text", () => {
    expect(auditMarkdown(markdownAutolink("https://github.com/settings/applications")).links).toEqual([
      "https://github.com/settings/applications",
    ]);
    for (const url of ["https://evil.example/approve", "http://github.com/x", "javascript:alert(1)", "https://github.com.evil.example/"]) {
      const audit = auditMarkdown(markdownAutolink(url));
      expect({ links: audit.links, linkable: audit.linkable, visible: audit.visible }).toEqual({ links: [], linkable: [], visible: url });
    }
  });
});
