import { describe, expect, it } from "vitest";
import { pendingGrantSteps } from "../../engine/reconcile/pending-steps.js";
import { planLink } from "../../engine/reconcile/plan-link.js";
import type { PlanStep } from "../../engine/reconcile/steps/plan-step.js";
import { BUILD, CLIENT_ID, FOREIGN_URL, GH, HOOK_URL, observedLinked, planningContext, repo } from "./fixtures.js";
import { teamSpec } from "../support/link-spec.js";

const kinds = (steps: PlanStep[]): string[] => steps.map((s) => (s.kind === "manual" ? `manual:${s.step.id}` : s.kind));

describe("planLink", () => {
  it("plans nothing when the live link matches the declaration", () => {
    expect(planLink(teamSpec(), observedLinked(), planningContext())).toEqual({ resource: "link", name: "acme-builds", steps: [] });
  });

  it("links an absent link with the exact POST", () => {
    const plan = planLink(
      teamSpec(),
      observedLinked({
        linkId: null,
        state: "absent",
        account: null,
        team: null,
        serviceAccount: null,
        providerGrant: "unverifiable",
        grantHeld: false,
      }),
      planningContext(),
    );
    expect(plan.steps).toEqual([
      {
        kind: "link",
        request: { method: "POST", url: `${BUILD}/acme/links/` },
        namespace: "acme",
        provider: "github",
        account: "acme-builder",
        team: "ci",
        serviceAccount: true,
      },
      ...["acme/api", "acme/web"].map((repository) => ({
        kind: "add-repository",
        request: { method: "PUT", url: `${BUILD}/acme/links/%7Bcreated%7D/repositories/${repository}/` },
        namespace: "acme",
        linkId: "",
        provider: "github",
        repository,
      })),
    ]);
  });

  it("makes each declared repository the live record does not list an autobuild source, and leaves extra ones alone", () => {
    const plan = planLink(teamSpec(), observedLinked({ recordRepositories: ["ACME/api", "acme/other"] }), planningContext());
    expect(plan.steps).toEqual([
      {
        kind: "add-repository",
        request: { method: "PUT", url: `${BUILD}/acme/links/link-1/repositories/acme/web/` },
        namespace: "acme",
        linkId: "link-1",
        provider: "github",
        repository: "acme/web",
      },
    ]);
  });

  it("links again when only an unlinked record of the declared account exists", () => {
    const plan = planLink(teamSpec(), observedLinked({ state: "revoked", providerGrant: "revoked", grantHeld: false }), planningContext());
    expect(kinds(plan.steps)).toEqual(["link", "add-repository", "add-repository"]);
  });

  it("disables a linked link in place", () => {
    const plan = planLink(teamSpec({ state: "disabled" }), observedLinked(), planningContext());
    expect(plan.steps).toEqual([
      {
        kind: "set-state",
        request: { method: "PATCH", url: `${BUILD}/acme/links/link-1/` },
        namespace: "acme",
        linkId: "link-1",
        state: "disabled",
      },
    ]);
  });

  it("enables a disabled link in place", () => {
    const plan = planLink(teamSpec(), observedLinked({ state: "disabled" }), planningContext());
    expect(plan.steps).toEqual([
      {
        kind: "set-state",
        request: { method: "PATCH", url: `${BUILD}/acme/links/link-1/` },
        namespace: "acme",
        linkId: "link-1",
        state: "linked",
      },
    ]);
  });

  it("creates an absent disabled link, then disables the link it created", () => {
    const plan = planLink(
      teamSpec({ state: "disabled" }),
      observedLinked({ linkId: null, state: "absent", account: null }),
      planningContext(),
    );
    expect(kinds(plan.steps)).toEqual(["link", "set-state", "add-repository", "add-repository"]);
    expect(plan.steps[1]).toMatchObject({
      linkId: "",
      state: "disabled",
      request: { method: "PATCH", url: `${BUILD}/acme/links/%7Bcreated%7D/` },
    });
  });

  it("relinks a team from a person to the service account and keeps the person's grant unless the link asks to revoke it", () => {
    const observed = observedLinked({ linkId: "old-1", account: "jdoe", serviceAccount: false });
    const plan = planLink(teamSpec(), observed, planningContext());
    expect(kinds(plan.steps)).toEqual(["link", "add-repository", "add-repository", "unlink"]);
    expect(plan.kept).toEqual([{ kind: "grant", provider: "github", account: "jdoe", keptFor: [], reason: "relink" }]);
    expect(pendingGrantSteps(planningContext({ clientSecret: false }), teamSpec(), observed)).toEqual([]);
  });

  it("relinks with onRelink.revokePreviousGrant: link, revoke the person's grant, unlink, and keep webhooks", () => {
    const observed = observedLinked({ linkId: "old-1", account: "jdoe", serviceAccount: false });
    const plan = planLink(teamSpec({ onRelink: { revokePreviousGrant: true } }), observed, planningContext());
    expect(plan.steps).toEqual([
      {
        kind: "link",
        request: { method: "POST", url: `${BUILD}/acme/links/` },
        namespace: "acme",
        provider: "github",
        account: "acme-builder",
        team: "ci",
        serviceAccount: true,
      },
      expect.objectContaining({ kind: "add-repository", repository: "acme/api" }),
      expect.objectContaining({ kind: "add-repository", repository: "acme/web" }),
      {
        kind: "revoke-grant",
        request: { method: "DELETE", url: `${GH}/applications/${CLIENT_ID}/grant` },
        provider: "github",
        account: "jdoe",
        clientId: CLIENT_ID,
        namespace: "acme",
        linkId: "old-1",
      },
      { kind: "unlink", request: { method: "DELETE", url: `${BUILD}/acme/links/old-1/` }, namespace: "acme", linkId: "old-1" },
    ]);
  });

  it("relinks with onRelink.revokePreviousGrant but without the client secret: the person's grant becomes a manual step", () => {
    const observed = observedLinked({ linkId: "old-1", account: "jdoe" });
    const plan = planLink(teamSpec({ onRelink: { revokePreviousGrant: true } }), observed, planningContext({ clientSecret: false }));
    expect(kinds(plan.steps)).toEqual(["link", "add-repository", "add-repository", "manual:revoke-grant:github:jdoe", "unlink"]);
  });

  it("finishes a relink interrupted after the new link was created", () => {
    const observed = observedLinked({
      supersededLinks: [
        { linkId: "old-1", account: "jdoe", state: "linked", providerGrant: "active", grantHeld: true, grantSharedWith: [] },
      ],
    });
    const plan = planLink(teamSpec({ onRelink: { revokePreviousGrant: true } }), observed, planningContext());
    expect(plan.steps).toEqual([
      {
        kind: "revoke-grant",
        request: { method: "DELETE", url: `${GH}/applications/${CLIENT_ID}/grant` },
        provider: "github",
        account: "jdoe",
        clientId: CLIENT_ID,
        namespace: "acme",
        linkId: "old-1",
      },
      { kind: "unlink", request: { method: "DELETE", url: `${BUILD}/acme/links/old-1/` }, namespace: "acme", linkId: "old-1" },
    ]);
  });

  it("revokes a live link: grant first (it needs the held token), then unlink, then the leftovers", () => {
    const plan = planLink(teamSpec({ state: "revoked" }), observedLinked(), planningContext());
    expect(kinds(plan.steps)).toEqual([
      "revoke-grant",
      "unlink",
      "delete-webhook",
      "delete-webhook",
      "delete-deploy-key",
      "delete-deploy-key",
    ]);
    expect(plan.steps[2]).toEqual({
      kind: "delete-webhook",
      request: { method: "DELETE", url: `${GH}/repos/acme/api/hooks/10` },
      provider: "github",
      repository: "acme/api",
      hookId: "10",
      url: HOOK_URL,
    });
    expect(plan.steps[4]).toEqual({
      kind: "delete-deploy-key",
      request: { method: "DELETE", url: `${GH}/repos/acme/api/keys/11` },
      provider: "github",
      repository: "acme/api",
      keyId: "11",
      title: "Docker Hub Builder acme",
    });
  });

  it("revokes an already unlinked link's leftovers and never plans a foreign webhook", () => {
    const withForeign = repo("acme/legacy-api", 30, 1);
    withForeign.webhooks.push({
      id: "99",
      url: FOREIGN_URL,
      active: true,
      events: ["push"],
      hasSecret: false,
      insecureSsl: false,
      lastResponse: null,
    });
    const observed = observedLinked({ state: "revoked", team: null, repositories: [withForeign] });
    const plan = planLink(teamSpec({ state: "revoked", team: undefined }), observed, planningContext());
    expect(kinds(plan.steps)).toEqual(["revoke-grant", "delete-webhook", "delete-deploy-key"]);
    expect(plan.steps.some((s) => s.kind === "delete-webhook" && s.hookId === "99")).toBe(false);
  });

  it("does not revoke a grant another live link uses, and lists it as kept with the link that keeps it", () => {
    const plan = planLink(teamSpec({ state: "revoked" }), observedLinked({ grantSharedWith: ["other-link"] }), planningContext());
    expect(kinds(plan.steps)).toEqual(["unlink", "delete-webhook", "delete-webhook", "delete-deploy-key", "delete-deploy-key"]);
    expect(plan.kept).toEqual([{ kind: "grant", provider: "github", account: "acme-builder", keptFor: ["other-link"], reason: "shared" }]);
  });

  it("keeps the webhooks and deploy keys of a repository another live link builds from", () => {
    const observed = observedLinked();
    observed.repositories[0]!.coveredBy = ['"other" (namespace beta)'];
    const plan = planLink(teamSpec({ state: "revoked" }), observed, planningContext());
    const covered = observed.repositories[0]!;
    expect(
      plan.steps.some((s) => (s.kind === "delete-webhook" || s.kind === "delete-deploy-key") && s.repository === covered.repository),
    ).toBe(false);
    expect(plan.kept?.map((k) => [k.kind, k.kind === "grant" ? k.account : k.repository, k.keptFor])).toEqual([
      ...covered.webhooks.map(() => ["webhook", covered.repository, ['"other" (namespace beta)']]),
      ...covered.deployKeys.map(() => ["deploy-key", covered.repository, ['"other" (namespace beta)']]),
    ]);
  });

  it("relinks a live link whose grant is revoked (a broken link): unlink, then link anew", () => {
    const plan = planLink(teamSpec(), observedLinked({ providerGrant: "revoked" }), planningContext());
    expect(kinds(plan.steps)).toEqual(["unlink", "link", "add-repository", "add-repository"]);
  });

  it("keeps webhooks and deploy keys when onRevoke says keep", () => {
    const plan = planLink(
      teamSpec({ state: "revoked", onRevoke: { webhooks: "keep", deployKeys: "keep" } }),
      observedLinked(),
      planningContext(),
    );
    expect(kinds(plan.steps)).toEqual(["revoke-grant", "unlink"]);
  });

  it("keeps deploy keys but deletes webhooks when only webhooks say delete", () => {
    const plan = planLink(
      teamSpec({ state: "revoked", onRevoke: { webhooks: "delete", deployKeys: "keep" } }),
      observedLinked(),
      planningContext(),
    );
    expect(kinds(plan.steps)).toEqual(["revoke-grant", "unlink", "delete-webhook", "delete-webhook"]);
  });

  it("asks a person to revoke the grant when no client secret is configured", () => {
    const plan = planLink(
      teamSpec({ state: "revoked" }),
      observedLinked({ providerGrant: "unverifiable" }),
      planningContext({ clientSecret: false }),
    );
    expect(kinds(plan.steps)).toEqual([
      "manual:revoke-grant:github:acme-builder",
      "unlink",
      "delete-webhook",
      "delete-webhook",
      "delete-deploy-key",
      "delete-deploy-key",
    ]);
  });

  it("plans nothing for a revoked link whose grant token is gone and whose leftovers are deleted", () => {
    const observed = observedLinked({
      state: "revoked",
      providerGrant: "unverifiable",
      grantHeld: false,
      repositories: [{ ...repo("acme/api", 10), webhooks: [], deployKeys: [] }],
    });
    const spec = teamSpec({ state: "revoked" });
    expect(planLink(spec, observed, planningContext()).steps).toEqual([]);
    // Nothing to act on, but the provider side cannot be verified: a person confirms it.
    expect(pendingGrantSteps(planningContext(), spec, observed).map((s) => s.id)).toEqual(["revoke-grant:github:acme-builder"]);
  });

  it("on docker-hub, makes the link side manual and still deletes webhooks by API", () => {
    const observed = observedLinked({ linkId: null, state: "unknown", account: null, providerGrant: "unverifiable", grantHeld: false });
    const plan = planLink(teamSpec({ state: "revoked" }), observed, planningContext({ dockerHub: true }));
    expect(kinds(plan.steps)).toEqual([
      "manual:docker-hub-unlink:acme:github:acme-builder",
      "manual:revoke-grant:github:acme-builder",
      "delete-webhook",
      "delete-webhook",
      "delete-deploy-key",
      "delete-deploy-key",
    ]);
    const linked = planLink(teamSpec(), observed, planningContext({ dockerHub: true }));
    expect(kinds(linked.steps)).toEqual([
      "manual:docker-hub-link:acme:github:acme-builder",
      "manual:docker-hub-autobuild:acme:github:acme-builder",
    ]);
  });
});

describe("pendingGrantSteps", () => {
  it("lists nothing for a linked link on its declared account", () => {
    expect(pendingGrantSteps(planningContext(), teamSpec(), observedLinked())).toEqual([]);
  });

  it("lists nothing for an active grant the plan will revoke by API", () => {
    expect(pendingGrantSteps(planningContext(), teamSpec({ state: "revoked" }), observedLinked())).toEqual([]);
  });

  it("lists the revoke step of a superseded account whose grant cannot be checked, when the link asks to revoke it", () => {
    const observed = observedLinked({
      supersededLinks: [
        { linkId: "old-1", account: "jdoe", state: "revoked", providerGrant: "unverifiable", grantHeld: true, grantSharedWith: [] },
      ],
    });
    const revoking = teamSpec({ onRelink: { revokePreviousGrant: true } });
    expect(pendingGrantSteps(planningContext({ clientSecret: false }), revoking, observed).map((s) => s.id)).toEqual([
      "revoke-grant:github:jdoe",
    ]);
  });
});
