/**
 * What the plans show of a replacement build beyond its steps: the unified diff of a proposed CI file
 * against what the repository's default branch holds, the revocations kept back until the builds
 * they wait for are verified (rule replacement-before-revocation), and the proposals kept back because
 * their branch holds commits sourcelinks did not write.
 */
import { createTwoFilesPatch } from "diff";
import type { HeldLinkEntry, PlanRun } from "../../engine/reconcile/run/entries.js";
import type { PlanStep } from "../../engine/reconcile/steps/plan-step.js";
import { formatLocation } from "../location.js";
import { plural } from "./observed-summary.js";
import { describeStep, isApiStep } from "./steps.js";

/** Heading of the revocations kept back. */
export const HELD_TITLE = "Held back until the replacement builds are verified (rule replacement-before-revocation)";

/** Heading of the proposals kept back because their branch holds someone else's commits. */
export const HELD_PROPOSALS_TITLE = "Proposals held back: apply writes nothing for these builds";

/** One line per build whose proposal is held back: where it is declared, the builds, and why. */
export function heldProposalLines(run: PlanRun): string[] {
  return (run.builds ?? []).flatMap((entry) => {
    const reason = entry.observed.held;
    if (reason === null) return [];
    const where = entry.location ? `${formatLocation(entry.location)}: ` : "";
    return [`${where}build ${entry.target.images.join(", ")} (${entry.target.repository}): ${reason}`];
  });
}

/** The unified diff of a proposal-file step's content against the default branch's file; empty for any other step. */
export function proposedFileDiff(step: PlanStep): string[] {
  if (step.kind !== "proposal-file") return [];
  // No headers: jsdiff would join them with a tab, which a terminal line shows escaped.
  const patch = createTwoFilesPatch(
    step.previous === null ? "/dev/null" : `a/${step.path}`,
    `b/${step.path}`,
    step.previous ?? "",
    step.content,
  );
  // The first line is jsdiff's "=====" separator; the plan's own heading names the file already.
  return patch.split("\n").filter((line, i) => !(i === 0 && line.startsWith("====")) && line !== "");
}

/** One line per held link (where it is declared, what waits) and one per build it waits for (where declared, and why). */
export function heldLines(held: readonly HeldLinkEntry[]): { link: string; builds: string[] }[] {
  return held.map((h) => {
    const where = h.location ? ` (${formatLocation(h.location)})` : "";
    const steps = h.steps.filter(isApiStep);
    return {
      link: `link ${h.link}${where}: ${plural(steps.length, "revoke step")} kept back${steps.length > 0 ? `: ${steps.map((s) => describeStep(s)).join("; ")}` : ""}`,
      builds: h.builds.map((b) => `${b.location ? `${formatLocation(b.location)}: ` : ""}build ${b.image} (${b.repository}): ${b.reason}`),
    };
  });
}
