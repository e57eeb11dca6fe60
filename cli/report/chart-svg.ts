/**
 * The report's chart, drawn as inline SVG (no script, no font or image to fetch): one horizontal
 * stacked bar per owner, a segment per artifact state, bars scaled to the largest owner. Pure.
 */
import { htmlText } from "../format/escape.js";
import { ARTIFACT_STATES, type ArtifactState, type ReportOwner } from "./model.js";
import { STATE_TITLES, artifactCounts } from "./labels.js";

/** Fill colours per state (also the legend's; colour-blind safe: blue, orange, vermilion). */
export const STATE_COLOURS: Record<ArtifactState, string> = { "in-use": "#0072b2", leftover: "#e69f00", orphaned: "#d55e00" };

/** Owners drawn at most; the rest are counted under the chart. */
export const CHART_MAX_OWNERS = 40;

const WIDTH = 960;
const LABEL = 260;
const TOTAL = 70;
const ROW = 26;
const BAR = 18;
const TOP = 8;
const LABEL_CHARS = 34;

/** The chart of artifacts per owner and state, the owners with the most artifacts first. */
export function artifactChart(owners: readonly ReportOwner[]): string {
  const rows = owners
    .map((owner) => ({ owner, c: artifactCounts(owner) }))
    .map((r) => ({ ...r, total: r.c["in-use"] + r.c.leftover + r.c.orphaned }))
    .sort((a, b) => b.total - a.total || b.c.orphaned + b.c.leftover - (a.c.orphaned + a.c.leftover));
  const shown = rows.slice(0, CHART_MAX_OWNERS);
  const max = Math.max(1, ...shown.map((r) => r.total));
  const scale = (WIDTH - LABEL - TOTAL) / max;
  const height = TOP * 2 + ROW * Math.max(1, shown.length);
  const parts: string[] = [];
  shown.forEach((r, i) => {
    const y = TOP + i * ROW;
    const name = `${r.owner.provider} ${r.owner.owner}`;
    const label = name.length > LABEL_CHARS ? `${name.slice(0, LABEL_CHARS - 1)}…` : name;
    parts.push(
      `<text x="${LABEL - 8}" y="${y + BAR - 4}" text-anchor="end" class="chart-label">${label === name ? "" : `<title>${htmlText(name)}</title>`}${htmlText(label)}</text>`,
    );
    let x = LABEL;
    for (const state of ARTIFACT_STATES) {
      const n = r.c[state];
      if (n === 0) continue;
      const w = Math.max(1, n * scale);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${STATE_COLOURS[state]}"><title>${htmlText(`${name}: ${n} ${STATE_TITLES[state]}`)}</title></rect>`,
      );
      x += w;
    }
    parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + BAR - 4}" class="chart-total">${r.total}</text>`);
  });
  if (shown.length === 0) parts.push(`<text x="${LABEL}" y="${TOP + BAR - 4}" class="chart-label">no owner observed</text>`);
  const svg =
    `<svg class="chart" role="img" aria-label="Build-service artifacts per owner and state" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">` +
    parts.join("") +
    "</svg>";
  const legend = `<p class="legend">${ARTIFACT_STATES.map((s) => `<span><i style="background:${STATE_COLOURS[s]}"></i>${STATE_TITLES[s]}</span>`).join("")}</p>`;
  const more =
    rows.length > shown.length
      ? `<p class="note">${rows.length - shown.length} more owners with fewer artifacts are in the tables below.</p>`
      : "";
  return legend + svg + more;
}
