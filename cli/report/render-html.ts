/**
 * `report --format html`: one self-contained page (inline CSS and SVG, no script, and a Content
 * Security Policy that forbids every fetch), readable at 1280 px and printable. Every text that came
 * from a server or a file is HTML-escaped (escape.ts `htmlText`); only http(s) URLs of manual steps
 * become links. Pure.
 */
import { refreshSummary } from "../format/sweep-refresh.js";
import { htmlText } from "../format/escape.js";
import {
  ARTIFACT_STATES,
  LINK_STATES,
  STEP_STATUSES,
  type ReportArtifact,
  type ReportManualStep,
  type ReportOwner,
  type RetirementReport,
} from "./model.js";
import { artifactChart } from "./chart-svg.js";
import { continuityText, tagText } from "./continuity.js";
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
  STEP_STATUS_TITLES,
  statusText,
  sweptTotals,
} from "./labels.js";

const e = htmlText;

const CSS = `
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#fff; --soft:#f6f8fa; --ok:#1a7f37; --bad:#cf222e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.sub, .note { color: var(--muted); margin: 4px 0; }
.headline { display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; margin: 16px 0 8px; }
.days { font-size: 40px; font-weight: 700; }
.status { font-weight: 600; padding: 8px 12px; border-radius: 6px; background: var(--soft); border-left: 4px solid var(--bad); }
.status.retired { border-left-color: var(--ok); }
.cards { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--soft); }
.card h3 { margin: 0 0 6px; font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.card dl { margin: 0; display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; }
.card dt { color: var(--muted); } .card dd { margin: 0; font-weight: 600; text-align: right; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 6px 0 12px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: var(--soft); font-weight: 600; }
td.n, th.n { text-align: right; width: 104px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.chart { display: block; max-width: 100%; height: auto; }
.chart-label, .chart-total { font: 12px system-ui, sans-serif; fill: var(--fg); }
.legend span { margin-right: 16px; } .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; }
.state-leftover { color: #8a5a00; font-weight: 600; } .state-orphaned { color: var(--bad); font-weight: 600; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { font-size: 10pt; } main { max-width: none; padding: 0; }
  .cards { grid-template-columns: repeat(5, 1fr); }
  h2 { break-after: avoid; } tr, .card, .chart { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
`;

/** The HTML report. */
export function renderReportHtml(report: RetirementReport): string {
  const s = report.summary;
  const files = report.sources.flatMap((src) => src.files);
  const title = `sourcelinks retirement report, as of ${report.asOf}`;
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing may be fetched when the file is opened: no script, style or image from anywhere.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title><style>${CSS}</style></head><body><main>`,
    "<header>",
    "<h1>Build-service retirement report</h1>",
    `<p class="sub">As of <time datetime="${e(report.asOf)}">${e(report.asOf)}</time>` +
      (files.length > 0 ? ` · from ${files.map((f) => `<code>${e(f)}</code>`).join(", ")}` : "") +
      (report.sources.length > 1 ? ` · ${report.sources.length} runs merged` : "") +
      "</p>",
    `<div class="headline"><span class="days" id="days-left">${e(daysLeftText(report))}</span><span>until Docker Hub autobuilds retire on <time datetime="${report.retirementDate}">${report.retirementDate}</time></span></div>`,
    `<p class="status${s.retired ? " retired" : ""}" id="status">${e(statusText(report))}</p>`,
    "</header>",
    notProvenSection(report),
    continuitySection(report),
    '<section class="cards" id="summary">',
    card(
      "Links",
      LINK_STATES.map((st) => [st, s.links[st]]),
    ),
    card("Grants", [
      ["active", s.grants.active],
      ["revoked", s.grants.revoked],
      ["unverifiable", s.grants.unverifiable],
    ]),
    card(
      "Artifacts",
      ARTIFACT_STATES.map((st) => [STATE_TITLES[st], s.artifacts[st]]),
    ),
    card("Manual steps", [
      ["open", s.manualSteps.open],
      ["done", s.manualSteps.done],
      ["observed otherwise", s.manualSteps.observedOtherwise],
    ]),
    card("Org access", [
      ["granted", s.orgAccess.granted],
      ["denied", s.orgAccess.denied],
      ["requested", s.orgAccess.requested],
      ["unknown", s.orgAccess.unknown],
    ]),
    "</section>",
    '<section id="chart"><h2>Artifacts per owner</h2>',
    artifactChart(report.owners),
    "</section>",
    ownersSection(report.owners),
    artifactsSection(report.owners),
    namespacesSection(report),
    manualStepsSection(report),
    evidenceSection(report),
    `<footer>Made by <code>sourcelinks report</code>. The same evidence as JSON: <code>sourcelinks report --format json</code> (schema/report.schema.json).</footer>`,
    "</main></body></html>",
    "",
  ].join("\n");
}

function card(title: string, rows: readonly (readonly [string, number])[]): string {
  return `<div class="card"><h3>${e(title)}</h3><dl>${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join("")}</dl></div>`;
}

function ownersSection(owners: readonly ReportOwner[]): string {
  const rows = owners.map((o) => {
    const c = artifactCounts(o);
    const swept =
      o.sweeps.length === 0
        ? "not swept"
        : `${sweptTotals(o).repositories} (${sweptTotals(o).foreignWebhooks} foreign webhooks left alone)`;
    return `<tr><td>${e(o.provider)} <code>${e(o.owner)}</code></td><td>${e(orgAccessText(o.orgAccess))}</td><td>${e(swept)}</td>${ARTIFACT_STATES.map((st) => `<td class="n">${c[st]}</td>`).join("")}</tr>`;
  });
  return (
    '<section id="owners"><h2>Owners</h2>' +
    (rows.length === 0
      ? '<p class="note">No owner observed.</p>'
      : `<table><thead><tr><th>Owner</th><th>Org access</th><th>Repositories swept</th>${ARTIFACT_STATES.map((st) => `<th class="n">${STATE_TITLES[st]}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`) +
    verificationNote(owners) +
    "</section>"
  );
}

/** How each sweep read its owner, and how old the last full verification is. */
function verificationNote(owners: readonly ReportOwner[]): string {
  const lines = owners.flatMap((o) =>
    o.sweeps.flatMap((sw) => {
      const line = refreshSummary(sw.refresh);
      return line === null ? [] : [`<li>sweep <code>${e(sw.name)}</code>: ${e(line)}</li>`];
    }),
  );
  return lines.length === 0 ? "" : `<p class="note">Verification:</p><ul>${lines.join("")}</ul>`;
}

function artifactsSection(owners: readonly ReportOwner[]): string {
  const groups = owners.map((o) => ({ o, items: o.artifacts.filter((a) => a.state !== "in-use") })).filter((g) => g.items.length > 0);
  const body =
    groups.length === 0
      ? '<p class="note">None: no build-service webhook or deploy key is left on a repository of a revoked or disabled link, and no sweep found an orphan.</p>'
      : groups
          .map(
            ({ o, items }) =>
              `<h3>${e(o.provider)} ${e(o.owner)}: ${e(count(items.filter((a) => a.state === "leftover").length, "leftover"))}, ${e(count(items.filter((a) => a.state === "orphaned").length, "orphan"))}</h3>` +
              '<table><thead><tr><th style="width:100px">State</th><th style="width:110px">Kind</th><th style="width:22%">Repository</th><th>URL or title</th><th style="width:18%">Links</th></tr></thead><tbody>' +
              items.map(artifactRow).join("") +
              "</tbody></table>",
          )
          .join("");
  return `<section id="artifacts"><h2>Leftovers and orphans</h2>${body}</section>`;
}

function artifactRow(a: ReportArtifact): string {
  return (
    `<tr><td class="state-${a.state}">${STATE_TITLES[a.state]}</td><td>${KIND_TITLES[a.kind]}</td>` +
    `<td>${a.repository === null ? "(the org's own hook)" : `<code>${e(a.repository)}</code>`}${a.archived ? " (archived)" : ""}</td>` +
    `<td><code>${e(a.target)}</code></td><td>${a.links.length === 0 ? "none" : e(a.links.join(", "))}</td></tr>`
  );
}

function namespacesSection(report: RetirementReport): string {
  const body = report.namespaces
    .map(
      (ns) =>
        `<h3>Namespace <code>${e(ns.namespace)}</code>: ${e(count(ns.links.length, "link"))}</h3>` +
        '<table><thead><tr><th>Link</th><th>Account</th><th>State</th><th style="width:110px">Grant</th><th class="n">Repos</th><th class="n">Open steps</th></tr></thead><tbody>' +
        ns.links
          .map((l) => {
            const superseded = l.superseded
              .map((x) => `<br><small>supersedes ${e(x.account)} (${e(x.state)}, grant ${e(x.providerGrant)})</small>`)
              .join("");
            return (
              `<tr><td>${e(l.provider)} <code>${e(l.name)}</code></td><td><code>${e(l.account)}</code>${l.team === null ? "" : ` (team ${e(l.team)})`}${superseded}</td>` +
              `<td>${e(linkStateText(l))}</td><td>${e(l.providerGrant)}</td><td class="n">${l.repositories.length}</td><td class="n">${openSteps(l.manualSteps)}</td></tr>`
            );
          })
          .join("") +
        "</tbody></table>",
    )
    .join("");
  return `<section id="namespaces"><h2>Links per namespace</h2>${body || '<p class="note">No link declared.</p>'}</section>`;
}

function manualStepsSection(report: RetirementReport): string {
  const steps: { where: string; step: ReportManualStep }[] = [
    ...report.namespaces.flatMap((ns) => ns.links.flatMap((l) => l.manualSteps.map((step) => ({ where: `link ${l.name}`, step })))),
    ...report.owners.flatMap((o) => (o.orgAccess?.manualSteps ?? []).map((step) => ({ where: `org ${o.owner}`, step }))),
    ...report.owners.flatMap((o) => o.sweeps.flatMap((sw) => sw.manualSteps.map((step) => ({ where: `sweep ${sw.name}`, step })))),
  ].sort((a, b) => STEP_STATUSES.indexOf(a.step.status) - STEP_STATUSES.indexOf(b.step.status));
  const rows = steps.map(({ where, step }) => {
    const what = step.summary === null ? `<code>${e(step.id)}</code>` : `${e(step.summary)}<br><small><code>${e(step.id)}</code></small>`;
    const how =
      step.url === null
        ? e(step.uiPath ?? "")
        : `${e(step.uiPath ?? "")}<br>${/^https?:\/\//.test(step.url) ? `<a href="${e(step.url)}">${e(step.url)}</a>` : e(step.url)}`;
    const status = stepStatusHtml(step);
    return `<tr><td>${e(where)}</td><td>${what}</td><td>${how}</td><td>${status}</td></tr>`;
  });
  return (
    '<section id="manual-steps"><h2>Manual steps</h2>' +
    (rows.length === 0
      ? '<p class="note">None open, none recorded.</p>'
      : `<table><thead><tr><th style="width:18%">For</th><th>Step</th><th>Where</th><th style="width:18%">Status</th></tr></thead><tbody>${rows.join("")}</tbody></table>`) +
    "</section>"
  );
}

/** A step's status cell: open and observed-otherwise stand out; a record names its date and author. */
function stepStatusHtml(step: ReportManualStep): string {
  if (step.status === "open") return '<span class="state-orphaned">open</span>';
  const who = `${e(step.done ?? "")} by ${e(step.by ?? "")}`;
  if (step.status === "observed-otherwise")
    return `<span class="state-orphaned">${e(STEP_STATUS_TITLES[step.status])}</span>: recorded ${who}, but ${e(step.observed ?? "")}`;
  return `${e(STEP_STATUS_TITLES[step.status])} ${who}`;
}

/** Why retirement is not proven, each reason with its names; nothing when it is proven. */
function notProvenSection(report: RetirementReport): string {
  const reasons = report.summary.notProven;
  if (reasons.length === 0) return "";
  return `<section id="not-proven"><h2>Not proven</h2><ul>${reasons.map((n) => `<li>${e(notProvenText(n))}</li>`).join("")}</ul></section>`;
}

/** The facts of the proof, verified by API in this run apart from those recorded by hand in the YAML. */
function evidenceSection(report: RetirementReport): string {
  const list = (facts: readonly string[], none: string): string =>
    facts.length === 0 ? `<p class="note">${e(none)}</p>` : `<ul>${facts.map((f) => `<li>${e(f)}</li>`).join("")}</ul>`;
  return (
    '<section id="evidence"><h2>Evidence</h2>' +
    '<h3 id="verified">Verified by API in this run</h3>' +
    list(report.summary.facts.verified, "Nothing verified by API.") +
    '<h3 id="recorded-by-hand">Recorded by hand (not verifiable by API)</h3>' +
    list(report.summary.facts.recordedByHand, "Nothing recorded by hand.") +
    "</section>"
  );
}

/** The Continuity section: per image, its replacement's state, run and tags; nothing when no build is declared. */
function continuitySection(report: RetirementReport): string {
  const entries = report.continuity ?? [];
  if (entries.length === 0) return "";
  const rows = entries.map(
    (c) =>
      `<tr class="continuity-${e(c.state)}"><td><code>${e(c.image)}</code><br>${e(`${c.provider} ${c.repository}`)}</td>` +
      `<td>${e(continuityText(c))}${c.pullRequest === null ? "" : `<br><a href="${e(c.pullRequest)}">pull request</a>`}</td>` +
      `<td>${c.run === null ? "none" : `<a href="${e(c.run.url)}">${e(c.run.conclusion ?? "running")}</a>, started <time datetime="${e(c.run.startedAt)}">${e(c.run.startedAt)}</time>`}</td>` +
      `<td>${c.tags.length === 0 ? "none" : c.tags.map((t) => e(tagText(t))).join("<br>")}</td></tr>`,
  );
  return (
    '<section id="continuity"><h2>Continuity</h2>' +
    "<table><thead><tr><th>Image</th><th>Replacement</th><th>Run</th><th>Tags</th></tr></thead>" +
    `<tbody>${rows.join("")}</tbody></table></section>`
  );
}
