/**
 * How a plan step reads in every plan format: its category (the groups docs/cli.md asks the plan to
 * show) and one sentence saying what it does. Shared so text, markdown and JSON never disagree.
 */
import type { KeptItem, PlanStep } from "../../engine/model/plan.js";
import type { ManualStep } from "../../engine/model/manual-step.js";

/** The groups a plan shows: calls to the build service, provider-side revocations, deletions, manual steps. */
export type StepCategory = "build-service" | "provider-revocation" | "webhook-deletion" | "deploy-key-deletion" | "manual";

/** A step that sends a request (every kind but `manual`). */
export type ApiStep = Exclude<PlanStep, { kind: "manual" }>;

/** The category of a step. */
export function categoryOf(step: PlanStep): StepCategory {
  switch (step.kind) {
    case "link":
    case "set-state":
    case "unlink":
    case "add-repository":
    case "set-org-access":
      return "build-service";
    case "revoke-grant":
      return "provider-revocation";
    case "delete-webhook":
    case "delete-org-webhook":
      return "webhook-deletion";
    case "delete-deploy-key":
      return "deploy-key-deletion";
    case "manual":
      return "manual";
  }
}

/** The categories of API steps, in the order the plans list them. */
export const API_CATEGORIES: readonly Exclude<StepCategory, "manual">[] = [
  "build-service",
  "provider-revocation",
  "webhook-deletion",
  "deploy-key-deletion",
];

/** Headings of the categories, in the order a plan lists them. */
export const CATEGORY_TITLES: Record<StepCategory, string> = {
  "build-service": "Build service",
  "provider-revocation": "Provider-side revocations",
  "webhook-deletion": "Webhooks to delete",
  "deploy-key-deletion": "Deploy keys to delete",
  manual: "Manual steps",
};

/** One sentence saying what a step does, naming everything it touches. */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case "link": {
      const who = step.serviceAccount === false ? "person account" : step.serviceAccount ? "service account" : "account";
      return `link ${step.provider} ${who} ${step.account} to namespace ${step.namespace}${step.team ? ` for team ${step.team}` : ""}`;
    }
    case "set-state":
      return `set link ${step.linkId || "(the new link)"} in namespace ${step.namespace} to ${step.state === "linked" ? "enabled" : "disabled"}`;
    case "unlink":
      return `unlink link ${step.linkId} in namespace ${step.namespace}`;
    case "add-repository":
      return `make ${step.repository} an autobuild source of link ${step.linkId || "(the new link)"} in namespace ${step.namespace}`;
    case "revoke-grant":
      return `revoke ${step.provider} account ${step.account}'s OAuth grant to app ${step.clientId}`;
    case "delete-webhook":
      return `delete webhook ${step.hookId} on ${step.repository} (${step.url})`;
    case "delete-deploy-key":
      return `delete deploy key ${step.keyId} "${step.title}" on ${step.repository}`;
    case "delete-org-webhook":
      return `delete webhook ${step.hookId} of org ${step.org} (${step.url})`;
    case "set-org-access":
      return `set third-party access of org ${step.org} to ${step.access}${step.throughLink ? ` (through link ${step.throughLink}, created first by this apply)` : ""}`;
    case "manual":
      return step.step.summary;
  }
}

/** Whether a step sends a request. */
export function isApiStep(step: PlanStep): step is ApiStep {
  return step.kind !== "manual";
}

/** The manual steps of a plan, once each (by id). */
export function manualStepsOf(steps: readonly PlanStep[]): ManualStep[] {
  const seen = new Map<string, ManualStep>();
  for (const step of steps) if (step.kind === "manual" && !seen.has(step.step.id)) seen.set(step.step.id, step.step);
  return [...seen.values()];
}

/** Heading of what a revocation keeps because other live links use it. */
export const KEPT_TITLE = "Kept (other live links use them)";

/** Heading of the steps a resource needs that another resource's plan sends (one request for one thing). */
export const SENT_BY_TITLE = "Shared with another revoked link (sent once, in its plan)";

/** One sentence naming what is kept and which live links keep it. */
export function describeKept(item: KeptItem): string {
  const by = `still used by ${item.keptFor.join(", ")}`;
  switch (item.kind) {
    case "webhook":
      return `keep webhook ${item.hookId} on ${item.repository} (${item.url}): ${by}, building from ${item.repository}`;
    case "deploy-key":
      return `keep deploy key ${item.keyId} "${item.title}" on ${item.repository}: ${by}, building from ${item.repository}`;
    case "grant":
      if (item.reason === "relink")
        return `keep ${item.provider} account ${item.account}'s OAuth grant: a relink leaves the previous account's grant alone, since one grant covers every link of the account, also in namespaces this run cannot see${item.keptFor.length > 0 ? ` (${by})` : ""}; set onRelink.revokePreviousGrant: true on the link to revoke it`;
      return `keep ${item.provider} account ${item.account}'s OAuth grant (one grant covers every link of the account): ${by}`;
  }
}
