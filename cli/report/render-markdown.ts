/**
 * `report --format markdown`: a pull-request or issue comment that fits GitHub's 65,536-character cap
 * at any size. The counts and the days left always come first; then the owners, namespaces, links
 * and manual steps with the most left to do (at most 50 rows a table, so the details below keep
 * room), and the leftovers and orphans, largest groups first, while they fit. Whatever does not fit is counted in one closing "N more" note that points at the
 * JSON report and the HTML artifact.
 */
import { refreshSummary } from "../format/sweep-refresh.js";
import { markdownAutolink, markdownText } from "../format/escape.js";
import { cell, code, html } from "../format/markdown.js";
import { MarkdownBudget, sizeOf } from "../format/markdown-budget.js";
import {
  LINK_STATES,
  type ArtifactState,
  type ReportArtifact,
  type ReportLink,
  type ReportManualStep,
  type ReportOwner,
  type RetirementReport,
} from "./model.js";
import { isLive } from "../../engine/model/observed.js";
import { continuityText, tagText } from "./continuity.js";
import { isLiveLink } from "./summarize.js";
import {
  KIND_TITLES,
  STATE_TITLES,
  artifactCounts,
  count,
  daysLeftText,
  linkStateText,
  notProvenText,
  openSteps,
  orgAccessText,
  statusText,
  sweptTotals,
} from "./labels.js";

/** Room kept for the closing note and the sources, whatever the sections above take. */
const CLOSING_RESERVE = 2_000;

/** Rows per table at most, so that thousands of owners or links leave room for the leftovers and orphans below them. */
const SECTION_ROWS = 50;

/** Options of the markdown report. */
export interface ReportMarkdownOptions {
  /** The most characters the comment may have (default: under GitHub's cap, see markdown-budget.ts). */
  maxChars?: number;
}

/** The markdown report. */
export function renderReportMarkdown(report: RetirementReport, options: ReportMarkdownOptions = {}): string {
  const out = new MarkdownBudget(options.maxChars);
  out.add(headLines(report));
  out.add(notProvenLines(report));
  out.add(continuityLines(report));
  const view = viewOf(report);
  const omitted = SECTIONS.flatMap((section) => section(view, out) ?? []);
  out.add(closingLines(report, omitted));
  return out.text();
}

/** The report with what several sections order or gather the same way, worked out once. */
interface ReportView {
  report: RetirementReport;
  /** Owners with the most left behind first (config-independent order among equals: the report's). */
  owners: readonly { owner: ReportOwner; c: Record<ArtifactState, number> }[];
  /** Every manual step, with where it belongs (`link NAME`, `org OWNER`, `sweep NAME`). */
  steps: readonly PlacedStep[];
}

/** A manual step and where it belongs. */
interface PlacedStep {
  where: string;
  step: ReportManualStep;
}

/**
 * One section after the counts: it adds what fits to `out` and returns what it left out, counted
 * (`3 owners`), for the closing note; null when nothing was left out.
 */
type Section = (view: ReportView, out: MarkdownBudget) => string | null;

/** The sections, in the order they appear: owners, namespaces and links first, then the manual steps and facts, then the artifacts. */
const SECTIONS: readonly Section[] = [
  ownersSection,
  namespacesSection,
  pendingLinksSection,
  openStepsSection,
  doneStepsSection,
  observedOtherwiseSection,
  verifiedSection,
  recordedByHandSection,
  leftoversSection,
];

/** Orders the owners and gathers the manual steps once, for the sections that share them. */
function viewOf(report: RetirementReport): ReportView {
  const owners = report.owners
    .map((owner) => ({ owner, c: artifactCounts(owner) }))
    .sort((a, b) => b.c.leftover + b.c.orphaned - (a.c.leftover + a.c.orphaned) || b.c["in-use"] - a.c["in-use"]);
  const steps: PlacedStep[] = [
    ...report.namespaces.flatMap((ns) => ns.links.flatMap((l) => l.manualSteps.map((step) => ({ where: `link ${l.name}`, step })))),
    ...report.owners.flatMap((o) => (o.orgAccess?.manualSteps ?? []).map((step) => ({ where: `org ${o.owner}`, step }))),
    ...report.owners.flatMap((o) => o.sweeps.flatMap((sw) => sw.manualSteps.map((step) => ({ where: `sweep ${sw.name}`, step })))),
  ];
  return { report, owners, steps };
}

/** The title, the days left, the status and the counts: always shown, whatever the cap. */
function headLines(report: RetirementReport): string[] {
  const s = report.summary;
  return [
    "## sourcelinks retirement report",
    "",
    `**${daysLeftText(report)}** until Docker Hub autobuilds retire on ${report.retirementDate} (as of ${report.asOf}).`,
    "",
    `**${markdownText(statusText(report))}**`,
    "",
    "| Links | Grants | Artifacts | Manual steps | Org access |",
    "| --- | --- | --- | --- | --- |",
    `| ${LINK_STATES.map((st) => `${s.links[st]} ${st}`).join(", ")} | ${s.grants.active} active, ${s.grants.revoked} revoked, ${s.grants.unverifiable} unverifiable | ` +
      `${s.artifacts["in-use"]} in use, ${s.artifacts.leftover} leftover, ${s.artifacts.orphaned} orphaned | ${s.manualSteps.open} open, ${s.manualSteps.done} done, ${s.manualSteps.observedOtherwise} observed otherwise | ` +
      `${s.orgAccess.granted} granted, ${s.orgAccess.denied} denied, ${s.orgAccess.requested} requested, ${s.orgAccess.unknown} unknown |`,
    "",
  ];
}

/** `N THINGS` when `left` rows were left out, else null. */
function leftOut(left: number, singular: string, pluralForm?: string): string | null {
  return left > 0 ? count(left, singular, pluralForm) : null;
}

/** Owners with the most left behind first: org access, swept repositories and artifacts by state. */
function ownersSection({ owners }: ReportView, out: MarkdownBudget): string | null {
  const left = table(
    out,
    [
      "### Owners",
      "",
      "| Owner | Org access | Swept repositories | In use | Leftover | Orphaned |",
      "| --- | --- | ---: | ---: | ---: | ---: |",
    ],
    owners.map(({ owner, c }) => {
      const swept = owner.sweeps.length === 0 ? "not swept" : String(sweptTotals(owner).repositories);
      return `| ${cell(`${owner.provider} ${code(owner.owner)}`)} | ${cell(markdownText(orgAccessText(owner.orgAccess)))} | ${swept} | ${c["in-use"]} | ${c.leftover} | ${c.orphaned} |`;
    }),
  );
  // How each sweep read its owner, and how old the last full verification is.
  const refreshed = owners.flatMap(({ owner }) =>
    owner.sweeps.flatMap((sw) => {
      const line = refreshSummary(sw.refresh);
      return line === null ? [] : [`- ${cell(`sweep ${sw.name}`)}: ${markdownText(line)}`];
    }),
  );
  if (refreshed.length > 0) out.tryAdd(["", "Verification:", "", ...refreshed], CLOSING_RESERVE);
  return leftOut(left, "owner");
}

/** Namespaces with the most live links and open steps first. */
function namespacesSection({ report }: ReportView, out: MarkdownBudget): string | null {
  const namespaces = report.namespaces
    .map((ns) => ({
      ns,
      live: ns.links.filter((l) => isLive(l.observedState)).length,
      open: ns.links.reduce((n, l) => n + openSteps(l.manualSteps), 0),
    }))
    .sort((a, b) => b.live + b.open - (a.live + a.open) || b.ns.links.length - a.ns.links.length);
  const left = table(
    out,
    ["### Namespaces", "", "| Namespace | Links | Live | Active grants | Open manual steps |", "| --- | ---: | ---: | ---: | ---: |"],
    namespaces.map(
      ({ ns, live, open }) =>
        `| ${cell(code(ns.namespace))} | ${ns.links.length} | ${live} | ${ns.links.filter((l) => l.providerGrant === "active").length} | ${open} |`,
    ),
  );
  return leftOut(left, "namespace");
}

/** Links that are not yet done: live, with a grant not shown revoked (by API or a recorded step), or with open steps. */
function pendingLinksSection({ report }: ReportView, out: MarkdownBudget): string | null {
  const pendingLinks = report.namespaces
    .flatMap((ns) => ns.links.map((link) => ({ ns: ns.namespace, link })))
    .filter(({ link }) => isLiveLink(link) || !retiredBy(link) || openSteps(link.manualSteps) > 0);
  const left = table(
    out,
    [
      "### Links not yet retired",
      "",
      "| Link | Namespace | Account | State | Grant | Open steps |",
      "| --- | --- | --- | --- | --- | ---: |",
    ],
    pendingLinks.map(
      ({ ns, link }) =>
        `| ${cell(`${link.provider} ${code(link.name)}`)} | ${cell(code(ns))} | ${cell(code(link.account))} | ${cell(markdownText(linkStateText(link)))} | ${link.providerGrant} | ${openSteps(link.manualSteps)} |`,
    ),
  );
  return leftOut(left, "link");
}

/** The open manual steps, each with where to do it. */
function openStepsSection({ steps }: ReportView, out: MarkdownBudget): string | null {
  const left = table(
    out,
    ["### Open manual steps", ""],
    steps
      .filter((x) => x.step.status === "open")
      .map(
        ({ where, step }) =>
          `- ${markdownText(where)}: ${markdownText(step.summary ?? step.id)}` +
          (step.url ? ` (${markdownText(step.uiPath ?? "")}: ${markdownAutolink(step.url)})` : ""),
      ),
  );
  return leftOut(left, "open manual step");
}

/** The manual steps recorded as done: when and by whom. */
function doneStepsSection({ steps }: ReportView, out: MarkdownBudget): string | null {
  const left = table(
    out,
    ["### Manual steps recorded as done", ""],
    steps
      .filter((x) => x.step.status === "done")
      .map(({ where, step }) => `- ${markdownText(where)}: ${code(step.id)} done ${step.done ?? "?"} by ${markdownText(step.by ?? "?")}`),
  );
  return leftOut(left, "recorded step");
}

/** The steps recorded done whose effect the run observed otherwise: what was recorded, and what was seen. */
function observedOtherwiseSection({ steps }: ReportView, out: MarkdownBudget): string | null {
  const left = table(
    out,
    ["### Recorded done, but observed otherwise", ""],
    steps
      .filter((x) => x.step.status === "observed-otherwise")
      .map(
        ({ where, step }) =>
          `- ${markdownText(where)}: ${code(step.id)} recorded done ${step.done ?? "?"} by ${markdownText(step.by ?? "?")}, but ${markdownText(step.observed ?? "observed otherwise")}`,
      ),
  );
  return leftOut(left, "step recorded done but observed otherwise", "steps recorded done but observed otherwise");
}

/** The facts this run verified by API. */
function verifiedSection({ report }: ReportView, out: MarkdownBudget): string | null {
  const left = table(
    out,
    ["### Verified by API in this run", ""],
    report.summary.facts.verified.map((f) => `- ${markdownText(f)}`),
  );
  return leftOut(left, "verified fact");
}

/** The facts only a person's record shows. */
function recordedByHandSection({ report }: ReportView, out: MarkdownBudget): string | null {
  const left = table(
    out,
    ["### Recorded by hand (not verifiable by API)", ""],
    report.summary.facts.recordedByHand.map((f) => `- ${markdownText(f)}`),
  );
  return leftOut(left, "fact recorded by hand", "facts recorded by hand");
}

/** Leftovers and orphans, one folded group per owner, the largest groups first, each cut short with a count when it does not fit. */
function leftoversSection({ owners }: ReportView, out: MarkdownBudget): string | null {
  const groups = owners
    .map(({ owner }) => ({ owner, items: owner.artifacts.filter((a) => a.state !== "in-use") }))
    .filter((g) => g.items.length > 0)
    .sort((a, b) => b.items.length - a.items.length);
  let left = 0;
  if (groups.length > 0 && out.tryAdd(["### Leftovers and orphans", ""], CLOSING_RESERVE)) {
    for (const group of groups) {
      const block = artifactGroup(group.owner, group.items, out.room(CLOSING_RESERVE));
      if (block === null || !out.tryAdd(block.lines, CLOSING_RESERVE)) left += group.items.length;
      else left += block.omitted;
    }
  } else left = groups.reduce((n, g) => n + g.items.length, 0);
  return leftOut(left, "leftover or orphan", "leftovers or orphans");
}

/** The "N more" note when anything was left out, and the files the report came from (shortened to counts when their names would not fit the reserve). */
function closingLines(report: RetirementReport, omitted: readonly string[]): string[] {
  const closing: string[] = [];
  if (omitted.length > 0) {
    closing.push(
      `**${omitted.join(", ")} more**: not shown, to keep this comment under GitHub's 65,536-character limit. ` +
        "Everything is in the JSON report (`sourcelinks report --format json`) and the HTML report (`sourcelinks report --format html --out report.html`, e.g. a workflow artifact).",
      "",
    );
  }
  const files = report.sources.flatMap((src) => src.files);
  if (files.length > 0) {
    const from = `<sub>From ${files.map(code).join(", ")}${report.sources.length > 1 ? ` (${report.sources.length} runs merged)` : ""}.</sub>`;
    closing.push(
      from.length <= CLOSING_RESERVE / 2
        ? from
        : `<sub>From ${count(files.length, "file")} in ${count(report.sources.length, "run")}.</sub>`,
      "",
    );
  }
  return closing;
}

/**
 * Adds a section's head and at most `SECTION_ROWS` rows while they fit; returns how many rows were
 * left out. The head is left out when no row fits.
 */
function table(out: MarkdownBudget, head: readonly string[], rows: readonly string[]): number {
  if (rows.length === 0) return 0;
  if (!out.tryAdd([...head, rows[0]!], CLOSING_RESERVE)) return rows.length;
  let shown = 1;
  for (const row of rows.slice(1, SECTION_ROWS)) {
    if (!out.tryAdd([row], CLOSING_RESERVE)) break;
    shown++;
  }
  out.add([""]);
  return rows.length - shown;
}

/** One owner's leftovers and orphans, folded, within `room` characters; null when not even its heading fits. */
function artifactGroup(owner: ReportOwner, items: readonly ReportArtifact[], room: number): { lines: string[]; omitted: number } | null {
  const orphans = items.filter((a) => a.state === "orphaned").length;
  const head = [
    `<details><summary>${html(`${owner.provider} ${owner.owner}`)}: ${count(items.length - orphans, "leftover")}, ${count(orphans, "orphan")}</summary>`,
    "",
  ];
  const tail = ["</details>", ""];
  let left = room - sizeOf(head) - sizeOf(tail) - 120;
  if (left < 0) return null;
  const body: string[] = [];
  let omitted = 0;
  for (const a of items) {
    const line =
      `- ${STATE_TITLES[a.state]} ${KIND_TITLES[a.kind]} ${a.repository === null ? "(org)" : code(a.repository)}: ${code(a.target)}` +
      (a.links.length > 0 ? ` (${markdownText(a.links.join(", "))})` : "") +
      (a.archived ? " (archived)" : "");
    const cost = sizeOf([line]);
    if (omitted === 0 && cost <= left) {
      body.push(line);
      left -= cost;
    } else omitted++;
  }
  if (omitted > 0) body.push(`- … ${omitted} more: see the JSON or HTML report.`);
  return { lines: [...head, ...body, "", ...tail], omitted };
}

/** Why retirement is not proven, one line per reason with its names; nothing when it is proven. */
function notProvenLines(report: RetirementReport): string[] {
  const reasons = report.summary.notProven;
  if (reasons.length === 0) return [];
  return ["### Not proven", "", ...reasons.map((n) => `- ${markdownText(notProvenText(n))}`), ""];
}

/** Whether a link's unlinking and grant revocation are both shown: verified by API, or recorded by hand where no API can tell. */
function retiredBy(link: ReportLink): boolean {
  if (link.evidence === null) return link.providerGrant === "revoked";
  const shown = (e: string): boolean => e === "api" || e === "recorded";
  return link.providerGrant !== "active" && shown(link.evidence.unlinked) && shown(link.evidence.grantRevoked);
}

/** The Continuity section: per image, its replacement's state, run and tags; nothing when no build is declared. */
function continuityLines(report: RetirementReport): string[] {
  const entries = report.continuity ?? [];
  if (entries.length === 0) return [];
  return [
    "### Continuity",
    "",
    "| Image | Replacement | Run | Tags |",
    "| --- | --- | --- | --- |",
    ...entries.map(
      (c) =>
        `| ${code(c.image)} (${cell(markdownText(`${c.provider} ${c.repository}`))}) | ${cell(markdownText(continuityText(c)))} | ` +
        `${c.run === null ? "none" : `${markdownAutolink(c.run.url)} ${cell(markdownText(c.run.conclusion ?? "running"))}`} | ` +
        `${c.tags.length === 0 ? "none" : cell(markdownText(c.tags.map(tagText).join(", ")))} |`,
    ),
    "",
  ];
}
