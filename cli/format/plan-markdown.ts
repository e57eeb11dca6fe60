/**
 * `plan --format markdown`: a pull-request comment. A summary table first (one row per resource),
 * then each resource's requests and manual steps inside a `<details>` block, so a long plan stays
 * readable in a review.
 */
import { formatLocation } from "../location.js";
import type { PlanRun, PlannedEntry } from "../run.js";
import { observedSummary, plural } from "./observed-summary.js";
import { cell, code, html } from "./markdown.js";
import { markdownText } from "./escape.js";
import { countSteps, entriesOf, summarize } from "./plan-summary.js";
import { CATEGORY_TITLES, KEPT_TITLE, categoryOf, describeKept, describeStep, isApiStep, manualStepsOf, type StepCategory } from "./steps.js";

const API_CATEGORIES: readonly Exclude<StepCategory, "manual">[] = ["build-service", "provider-revocation", "webhook-deletion", "deploy-key-deletion"];

/** The markdown plan. */
export function formatPlanMarkdown(run: PlanRun): string {
  const s = summarize(run);
  const lines: string[] = ["## sourcelinks plan", ""];
  lines.push(
    s.hasChanges
      ? `**${plural(s.apiSteps, "request")}** on ${s.resourcesWithChanges} of ${plural(s.resources, "resource")}` +
          (s.manualSteps > 0 ? `, plus ${plural(s.manualSteps, "manual step")}.` : ".")
      : `**No changes.** ${plural(s.resources, "resource")} match the configuration` + (s.manualSteps > 0 ? `; ${plural(s.manualSteps, "manual step")} pending.` : "."),
    "",
    "| Resource | Desired | Observed | Build service | Revocations | Webhooks | Deploy keys | Manual |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const entry of entriesOf(run)) {
    const c = countSteps(entry);
    const desired = entry.resource === "link" ? entry.spec.state : entry.spec.access;
    lines.push(
      `| ${cell(`${entry.resource === "link" ? "link" : "org"} ${code(entry.plan.name)}`)} | ${desired} | ${cell(markdownText(observedSummary(entry)))} | ` +
        `${c.buildServiceCalls} | ${c.providerRevocations} | ${c.webhookDeletions} | ${c.deployKeyDeletions} | ${c.manualSteps} |`,
    );
  }
  lines.push("");
  for (const entry of entriesOf(run)) lines.push(...details(entry));
  if (run.files.length > 0) lines.push(`<sub>From ${run.files.map(code).join(", ")}.</sub>`, "");
  return `${lines.join("\n")}\n`;
}

function details(entry: PlannedEntry): string[] {
  const c = countSteps(entry);
  const kept = entry.plan.kept ?? [];
  if (c.apiSteps === 0 && c.manualSteps === 0 && kept.length === 0) return [];
  const title = `${entry.resource === "link" ? "link" : "org access"} ${entry.plan.name}: ${plural(c.apiSteps, "request")}` + (c.manualSteps > 0 ? `, ${plural(c.manualSteps, "manual step")}` : "");
  const lines = [`<details><summary>${html(title)}</summary>`, ""];
  if (entry.location) lines.push(`Declared at ${code(formatLocation(entry.location))}.`, "");
  const apiSteps = entry.plan.steps.filter(isApiStep);
  for (const category of API_CATEGORIES) {
    const steps = apiSteps.filter((s) => categoryOf(s) === category);
    if (steps.length === 0) continue;
    lines.push(`**${CATEGORY_TITLES[category]}**`, "");
    for (const step of steps) lines.push(`- ${markdownText(describeStep(step))}: ${code(`${step.request.method} ${step.request.url}`)}`);
    lines.push("");
  }
  const manual = manualStepsOf(entry.plan.steps);
  if (manual.length > 0) {
    lines.push(`**${CATEGORY_TITLES.manual}**`, "");
    manual.forEach((m, i) => lines.push(`${i + 1}. ${markdownText(m.summary)}`, `   ${markdownText(m.uiPath)}: <${m.url}>`));
    lines.push("");
  }
  if (kept.length > 0) {
    lines.push(`**${KEPT_TITLE}**`, "");
    for (const item of kept) lines.push(`- ${html(describeKept(item))}`);
    lines.push("");
  }
  lines.push("</details>", "");
  return lines;
}
