import { describe, expect, it } from "vitest";
import { withPendingLinkSteps, withPendingOrgAccessSteps } from "../../engine/reconcile/pending-steps.js";
import { observedLinked, observedOrg, orgSpec, planningContext } from "./fixtures.js";
import { teamSpec } from "../support/link-spec.js";

/** What observation records on docker-hub: no link API, so nothing is known of the link. */
const dockerHubObserved = observedLinked({
  linkId: null,
  state: "unknown",
  account: null,
  team: null,
  serviceAccount: null,
  providerGrant: "unverifiable",
  grantHeld: false,
});

describe("withPendingLinkSteps", () => {
  it("on docker-hub, lists the link side a person does, per the declared state", () => {
    const ids = (state: "linked" | "disabled" | "revoked"): string[] =>
      withPendingLinkSteps(teamSpec({ state }), dockerHubObserved, planningContext({ dockerHub: true })).pendingManualSteps.map(
        (s) => s.id,
      );
    expect(ids("linked")).toEqual(["docker-hub-link:acme:github:acme-builder", "docker-hub-autobuild:acme:github:acme-builder"]);
    expect(ids("disabled")).toEqual(["docker-hub-disable:acme:github:acme-builder"]);
    expect(ids("revoked")).toEqual(["docker-hub-unlink:acme:github:acme-builder", "revoke-grant:github:acme-builder"]);
  });

  it("keeps every observed fact and replaces only the pending steps", () => {
    const observed = observedLinked({ state: "revoked", providerGrant: "unverifiable", grantHeld: true });
    const out = withPendingLinkSteps(teamSpec({ state: "revoked" }), observed, planningContext({ clientSecret: false }));
    expect(out).toEqual({ ...observed, pendingManualSteps: [expect.objectContaining({ id: "revoke-grant:github:acme-builder" })] });
    expect(Object.keys(out)).toEqual(Object.keys(observed));
  });
});

describe("withPendingOrgAccessSteps", () => {
  it("lists nothing when a build-service link can set the access", () => {
    expect(withPendingOrgAccessSteps(orgSpec({ access: "denied" }), observedOrg(), planningContext()).pendingManualSteps).toEqual([]);
  });

  it("asks an org owner when the access differs or is unknown and no link can set it", () => {
    const probed = observedOrg({ access: "granted", observedVia: "probe", via: null });
    expect(withPendingOrgAccessSteps(orgSpec({ access: "denied" }), probed, planningContext()).pendingManualSteps).toEqual([
      {
        id: "org-access:github:acme",
        summary: 'As an owner of the GitHub organization acme, deny the OAuth app "Docker Hub Builder" access to the organization.',
        uiPath: "GitHub → Organization settings → Third-party Access → OAuth app policy → Docker Hub Builder → Edit → Deny access",
        url: "https://github.com/organizations/acme/settings/oauth_application_policy",
      },
    ]);
    const unknown = observedOrg({ access: "unknown", observedVia: "none", via: null });
    expect(withPendingOrgAccessSteps(orgSpec(), unknown, planningContext()).pendingManualSteps.map((s) => s.id)).toEqual([
      "org-access:github:acme",
    ]);
    expect(withPendingOrgAccessSteps(orgSpec(), probed, planningContext()).pendingManualSteps).toEqual([]);
  });
});
