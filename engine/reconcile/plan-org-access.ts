/** The pure planner of one org access entry: set it through the build service when possible (the request built by its step kind), else a manual step. */
import type { LinkSpec, OrgAccessSpec } from "../model/spec.js";
import { appName } from "./grant-policy.js";
import { orgAccessStep } from "./manual-steps.js";
import type { ObservedOrgAccess } from "../model/observed.js";
import type { PlanStep, ResourcePlan } from "./steps/plan-step.js";
import { setOrgAccessRequest } from "./steps/set-org-access.js";
import type { PlanSettings } from "./plan-settings.js";
import { CREATED_LINK_PLACEHOLDER } from "./plan-link.js";

/**
 * Plans `spec` from `observed`. With no live link to act through, a declared GitHub link that
 * `linkPlans` create in the same run (one with a `link` step) is used, so one apply creates the link
 * and sets the org's access (`throughLink`; the caller runs link plans first and resolves its id).
 */
export function planOrgAccess(
  spec: OrgAccessSpec,
  observed: ObservedOrgAccess,
  settings: PlanSettings,
  links: readonly LinkSpec[] = [],
  linkPlans: readonly ResourcePlan[] = [],
): ResourcePlan {
  const plan: ResourcePlan = { resource: "orgAccess", name: `${spec.provider}/${spec.org}`, steps: [] };
  if (observed.access === spec.access) return plan;
  const bs = settings.apis.buildService;
  const via = observed.via ?? null;
  const created = via === null ? linkCreatedInRun(spec.org, links, linkPlans) : undefined;
  const step: PlanStep =
    bs !== null && via !== null
      ? {
          kind: "set-org-access",
          request: setOrgAccessRequest(bs, via.namespace, via.linkId, spec.org),
          org: spec.org,
          access: spec.access,
          namespace: via.namespace,
          linkId: via.linkId,
        }
      : bs !== null && created !== undefined
        ? {
            kind: "set-org-access",
            request: setOrgAccessRequest(bs, created.namespace, CREATED_LINK_PLACEHOLDER, spec.org),
            org: spec.org,
            access: spec.access,
            namespace: created.namespace,
            linkId: "",
            throughLink: created.name,
          }
        : { kind: "manual", step: orgAccessStep(spec.org, appName(settings, spec.app), spec.access) };
  plan.steps.push(step);
  return plan;
}

/** The declared GitHub link, not revoked, that this run creates, with a repository in `org` first (as observe-org-access.ts orders them). */
function linkCreatedInRun(org: string, links: readonly LinkSpec[], linkPlans: readonly ResourcePlan[]): LinkSpec | undefined {
  const creating = new Set(linkPlans.filter((p) => p.steps.some((s) => s.kind === "link")).map((p) => p.name));
  const candidates = links.filter((l) => l.provider === "github" && l.state !== "revoked" && creating.has(l.name));
  const inOrg = (l: LinkSpec): boolean => l.repositories.some((r) => r.split("/")[0]?.toLowerCase() === org.toLowerCase());
  return candidates.find(inOrg) ?? candidates[0];
}
