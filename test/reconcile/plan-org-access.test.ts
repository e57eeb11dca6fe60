import { describe, expect, it } from "vitest";
import { planOrgAccess } from "../../engine/reconcile/plan-org-access.js";
import { BUILD, observedOrg, orgSpec, planningContext } from "./fixtures.js";

describe("planOrgAccess", () => {
  it("plans nothing when the observed access is the declared one", () => {
    expect(planOrgAccess(orgSpec(), observedOrg(), planningContext())).toEqual({ resource: "orgAccess", name: "github/acme", steps: [] });
  });

  it("sets the access through the build-service link it was observed through", () => {
    const plan = planOrgAccess(
      orgSpec({ org: "contractor-co", access: "denied" }),
      observedOrg({ org: "contractor-co", access: "granted" }),
      planningContext(),
    );
    expect(plan.steps).toEqual([
      {
        kind: "set-org-access",
        request: { method: "PUT", url: `${BUILD}/acme/links/link-1/orgs/contractor-co/access/` },
        org: "contractor-co",
        access: "denied",
        namespace: "acme",
        linkId: "link-1",
      },
    ]);
  });

  it("treats a pending request as not granted", () => {
    const plan = planOrgAccess(orgSpec(), observedOrg({ access: "requested" }), planningContext());
    expect(plan.steps.map((s) => s.kind)).toEqual(["set-org-access"]);
  });

  it("asks an org owner when the access was only probed", () => {
    const plan = planOrgAccess(orgSpec(), observedOrg({ access: "denied", observedVia: "probe", via: null }), planningContext());
    expect(plan.steps).toEqual([
      {
        kind: "manual",
        step: {
          id: "org-access:github:acme",
          summary: 'As an owner of the GitHub organization acme, grant the OAuth app "Docker Hub Builder" access to the organization.',
          uiPath: "GitHub → Organization settings → Third-party Access → OAuth app policy → Docker Hub Builder → Review → Grant access",
          url: "https://github.com/organizations/acme/settings/oauth_application_policy",
        },
      },
    ]);
  });

  it("asks an org owner when the access is unknown on docker-hub", () => {
    const plan = planOrgAccess(
      orgSpec({ access: "denied" }),
      observedOrg({ access: "unknown", observedVia: "none", via: null }),
      planningContext({ dockerHub: true }),
    );
    expect(plan.steps.map((s) => (s.kind === "manual" ? s.step.uiPath : s.kind))).toEqual([
      "GitHub → Organization settings → Third-party Access → OAuth app policy → Docker Hub Builder → Edit → Deny access",
    ]);
  });
});
