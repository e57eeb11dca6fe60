import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deleteWebhookRequest } from "../../engine/reconcile/steps/delete-webhook.js";
import { createLinkRequest } from "../../engine/reconcile/steps/link.js";
import type { LinkSpec, SourcelinksConfig } from "../../engine/model/spec.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { createGitHubClients } from "../../engine/clients/github/index.js";
import { Secret } from "../../engine/model/secret.js";
import {
  createOperationContext,
  executePlan,
  observeLink,
  observeLinks,
  observeOrgAccess,
  planLink,
  planOrgAccess,
  reconcileLink,
  reconcileOrgAccess,
  reconcileSweep,
  artifactsToRemove,
  ReconcileError,
  type OperationContext,
} from "../../engine/reconcile/operations.js";
import { githubRepo, linkRecords, liveAppTokens, loadDemoConfig } from "../support/demo-config.js";
import { expectNoSecretIn } from "../support/no-secret.js";

const FOREIGN = "https://ci.acme.example/hooks/github";
const LEGACY = ["acme/legacy-api", "acme/legacy-web", "acme/legacy-worker"];

let sandbox: SandboxHandle;
let demoConfig: () => SourcelinksConfig;

beforeAll(async () => {
  demoConfig = await loadDemoConfig();
  sandbox = await startSandbox({});
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  sandbox.clearFaults();
  await sandbox.reset();
});

function context(config = demoConfig()): OperationContext {
  return createOperationContext(config, { ...sandbox.env });
}

/**
 * The same context with GitHub's retry backoff compressed (1 ms per second): the retries still run
 * and still meet the injected fault, without the real 1 s, 4 s, 9 s waits.
 */
function fastRetryContext(own: SandboxHandle): OperationContext {
  const ctx = createOperationContext(demoConfig(), { ...own.env });
  const github = createGitHubClients({
    apiUrl: own.env.SOURCELINKS_GITHUB_API_URL,
    token: new Secret(own.env.GITHUB_TOKEN),
    retryAfterBaseMs: 1,
  });
  ctx.clients.providers.github = github.provider;
  ctx.clients.githubGrants = github.grants;
  ctx.clients.githubOrgAccess = github.orgAccess;
  return ctx;
}

function link(name: string): LinkSpec {
  const spec = demoConfig().links.find((l) => l.name === name);
  if (!spec) throw new Error(`no link ${name} in the demo config`);
  return spec;
}

/** Asserts the world holds what revoking legacy-builds must leave: nothing of the build service, every foreign hook. */
function expectLegacyRevoked(): void {
  const world = sandbox.world();
  for (const name of LEGACY) {
    const repo = githubRepo(world, name);
    expect(repo.hooks.map((h) => h.config.url)).toEqual([FOREIGN]);
    expect(repo.keys).toEqual([]);
  }
  expect(liveAppTokens(world, "legacy-builder")).toBe(0);
}

describe("reconciling the demo world", () => {
  it("brings every example link to its declared state", async () => {
    const ctx = context();
    const before = sandbox.world();
    const apiHooks = githubRepo(before, "acme/api").hooks.map((h) => h.id);

    const acme = await reconcileLink(ctx, link("acme-builds"));
    expect(acme.result.failed).toBeNull();
    expect(acme.plan.steps.map((s) => s.kind)).toEqual(["link", "add-repository", "add-repository", "unlink"]);
    expect(acme.observed).toMatchObject({
      state: "linked",
      account: "acme-builder",
      team: "ci",
      serviceAccount: true,
      providerGrant: "active",
      pendingManualSteps: [],
    });

    const legacy = await reconcileLink(ctx, link("legacy-builds"));
    expect(legacy.result.failed).toBeNull();
    expect(legacy.plan.steps.map((s) => s.kind)).toEqual([
      "revoke-grant",
      "delete-webhook",
      "delete-webhook",
      "delete-webhook",
      "delete-deploy-key",
      "delete-deploy-key",
      "delete-deploy-key",
    ]);
    expect(legacy.observed).toMatchObject({ state: "revoked", providerGrant: "revoked", pendingManualSteps: [] });
    expect(legacy.observed.repositories.map((r) => [r.repository, r.webhooks.length, r.deployKeys.length, r.foreignWebhookCount])).toEqual(
      LEGACY.map((r) => [r, 0, 0, 1]),
    );

    const mobile = await reconcileLink(ctx, link("mobile-builds"));
    expect(mobile.plan.steps).toEqual([]);
    expect(mobile.observed).toMatchObject({ state: "linked", account: "acme-bb-builder", providerGrant: "unverifiable" });
    expect(mobile.observed.repositories[0]?.webhooks.map((h) => h.url)).toEqual(["https://registry.hub.docker.com/hooks/bitbucket"]);

    const world = sandbox.world();
    expect(linkRecords(world)).toEqual([
      "github:jdoe/ci/unlinked",
      "github:legacy-builder/-/unlinked",
      "bitbucket:acme-bb-builder/-/enabled",
      "github:acme-builder/ci/enabled",
    ]);
    expect(world.buildService.links.find((l) => l.account === "acme-builder")?.service_account).toBe(true);
    // A relink keeps the person's grant; the new link builds from the team's repositories, whose webhooks stay.
    expect(liveAppTokens(world, "jdoe")).toBe(1);
    expect(world.buildService.links.find((l) => l.account === "acme-builder")?.repositories).toEqual(["acme/api", "acme/web"]);
    expect(githubRepo(world, "acme/api").hooks.map((h) => h.id)).toEqual(apiHooks);
    expectLegacyRevoked();
  });

  it("plans nothing on a second run", async () => {
    const ctx = context();
    for (const spec of demoConfig().links) await reconcileLink(ctx, spec);
    for (const spec of demoConfig().links) {
      const observed = await observeLink(ctx, spec);
      expect(planLink(spec, observed, ctx).steps, spec.name).toEqual([]);
    }
  });

  it("verifies by API, on a later refresh, a grant it revoked: no manual step is left", async () => {
    const ctx = context();
    await reconcileLink(ctx, link("legacy-builds"));
    const observed = await observeLink(ctx, link("legacy-builds"));
    expect(observed.providerGrant).toBe("revoked");
    expect(observed.pendingManualSteps).toEqual([]);
  });

  it("reports a revoked link's unverifiable grant as a manual check once the service no longer holds its token", async () => {
    const ctx = context();
    await reconcileLink(ctx, link("legacy-builds"));
    for (const record of sandbox.world().buildService.links) if (record.account === "legacy-builder") record.grantToken = null;
    const observed = await observeLink(ctx, link("legacy-builds"));
    expect(observed.providerGrant).toBe("unverifiable");
    expect(observed.pendingManualSteps.map((s) => [s.id, s.url])).toEqual([
      ["revoke-grant:github:legacy-builder", "https://github.com/settings/applications"],
    ]);
  });

  it("without the client secret, leaves the legacy grant to a person and says where", async () => {
    const { SOURCELINKS_GITHUB_CLIENT_SECRET: _omitted, ...env } = sandbox.env;
    const ctx = createOperationContext(demoConfig(), env);
    const { plan, observed, result } = await reconcileLink(ctx, link("legacy-builds"));
    expect(result.skipped.map((s) => (s.kind === "manual" ? s.step.uiPath : s.kind))).toEqual([
      "GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke",
    ]);
    expect(plan.steps.filter((s) => s.kind === "revoke-grant")).toEqual([]);
    expect(observed.providerGrant).toBe("unverifiable");
    expect(observed.pendingManualSteps.map((s) => s.id)).toEqual(["revoke-grant:github:legacy-builder"]);
    expect(liveAppTokens(sandbox.world(), "legacy-builder")).toBe(1);
  });

  it("does not revoke a grant another live link in the namespace still uses", async () => {
    const ctx = context();
    // A second, non-team link authorized by jdoe: revoking jdoe's grant while relinking team ci would break it.
    const bs = ctx.clients.buildService!;
    await bs.createLink(createLinkRequest(ctx.apis.buildService!, "acme"), {
      provider: "github",
      account: "jdoe",
      team: null,
      serviceAccount: false,
    });
    const { plan, result } = await reconcileLink(ctx, link("acme-builds"));
    expect(result.failed).toBeNull();
    expect(plan.steps.map((s) => (s.kind === "manual" ? s.step.id : s.kind))).toEqual([
      "link",
      "add-repository",
      "add-repository",
      "unlink",
    ]);
    expect(plan.kept?.map((k) => k.kind === "grant" && k.account)).toEqual(["jdoe"]);
    expect(liveAppTokens(sandbox.world(), "jdoe")).toBe(2);
  });
});

describe("observing", () => {
  it("observes many links with one listing per namespace, as observing each would", async () => {
    const ctx = context();
    const links = demoConfig().links;
    const listings = (): number => sandbox.counters().byEndpoint["GET /build/api/build/v1/:namespace/links/"] ?? 0;
    const before = listings();
    const batch = await observeLinks(ctx, links);
    expect(listings() - before).toBe(1);
    const one = await Promise.all(links.map((spec) => observeLink(ctx, spec)));
    expect(batch).toEqual(one);
  });

  it("with grantChecks when-deciding, reads the grant only of links a step depends on", async () => {
    const ctx = createOperationContext(demoConfig(), { ...sandbox.env }, { grantChecks: "when-deciding" });
    const bitbucketKept = await observeLink(ctx, link("mobile-builds"));
    expect(bitbucketKept).toMatchObject({ state: "linked", providerGrant: "unverifiable" });
    expect(bitbucketKept.grantHeld).toBeUndefined();
    const legacy = await observeLink(ctx, link("legacy-builds"));
    expect(legacy).toMatchObject({ state: "revoked", providerGrant: "active", grantHeld: true });
  });

  it("takes credentials from the overrides before the environment", async () => {
    const { SOURCELINKS_BUILD_TOKEN: buildToken, GITHUB_TOKEN: githubToken, ...env } = sandbox.env;
    const ctx = createOperationContext(demoConfig(), env, { buildToken: new Secret(buildToken), githubToken: new Secret(githubToken) });
    expect(await observeLink(ctx, link("legacy-builds"))).toMatchObject({ state: "revoked", providerGrant: "active" });
  });

  it("never puts a credential in an observation, a plan or an execution result", async () => {
    const ctx = context();
    const { SOURCELINKS_BUILD_TOKEN, GITHUB_TOKEN, BITBUCKET_API_TOKEN, SOURCELINKS_GITHUB_CLIENT_SECRET } = sandbox.env;
    const world = sandbox.world();
    const secrets = [
      SOURCELINKS_BUILD_TOKEN,
      GITHUB_TOKEN,
      BITBUCKET_API_TOKEN,
      SOURCELINKS_GITHUB_CLIENT_SECRET,
      ...world.github.tokens.map((t) => t.token),
      ...world.bitbucket.users.flatMap((u) => u.grants.map((g) => g.accessToken)),
    ];
    expect(secrets.every((v) => v.length > 8)).toBe(true);
    const outputs = [];
    for (const spec of demoConfig().links) outputs.push(await reconcileLink(ctx, { ...spec, state: "revoked" }));
    const text = JSON.stringify(outputs);
    expect(text).toContain("revoke-grant");
    expectNoSecretIn(text, secrets, "the reconcile results");
  });
});

describe("docker-hub", () => {
  it("deletes the leftovers by API and leaves unlinking and the grant to a person", async () => {
    const config = demoConfig();
    config.buildService.kind = "docker-hub";
    const ctx = context(config);
    const { observed, plan, result } = await reconcileLink(ctx, link("legacy-builds"));
    expect(plan.steps.slice(0, 2).map((s) => (s.kind === "manual" ? s.step.id : s.kind))).toEqual([
      "docker-hub-unlink:acme:github:legacy-builder",
      "revoke-grant:github:legacy-builder",
    ]);
    expect(result.failed).toBeNull();
    expect(result.skipped).toHaveLength(2);
    expect(result.done.map((s) => s.kind)).toEqual([
      "delete-webhook",
      "delete-webhook",
      "delete-webhook",
      "delete-deploy-key",
      "delete-deploy-key",
      "delete-deploy-key",
    ]);
    expect(observed).toMatchObject({ state: "unknown", linkId: null, providerGrant: "unverifiable" });
    expect(observed.pendingManualSteps.map((s) => s.uiPath)).toEqual([
      "Docker Hub → Settings → Repository settings → Linked accounts → GitHub → Unlink provider",
      "GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke",
    ]);
    const world = sandbox.world();
    for (const name of LEGACY) expect(githubRepo(world, name).hooks.map((h) => h.config.url)).toEqual([FOREIGN]);
    expect(liveAppTokens(world, "legacy-builder")).toBe(1);
  });
});

describe("executing plans", () => {
  it("adopts a link that an earlier, interrupted run already created", async () => {
    const ctx = context();
    const spec = { ...link("acme-builds"), team: "release" };
    const plan = planLink(spec, await observeLink(ctx, spec), ctx);
    expect(plan.steps.map((s) => s.kind)).toEqual(["link", "add-repository", "add-repository"]);
    expect((await executePlan(ctx, plan)).failed).toBeNull();
    const again = await executePlan(ctx, plan);
    expect(again.failed).toBeNull();
    expect(linkRecords(sandbox.world()).filter((r) => r.includes("/release/"))).toEqual(["github:acme-builder/release/enabled"]);
  });

  it("creates a disabled link, then disables the link it just created", async () => {
    const ctx = context();
    const spec: LinkSpec = { ...link("acme-builds"), team: "release", state: "disabled" };
    const { plan, result, observed } = await reconcileLink(ctx, spec);
    expect(plan.steps.map((s) => s.kind)).toEqual(["link", "set-state", "add-repository", "add-repository"]);
    expect(result.failed).toBeNull();
    expect(observed).toMatchObject({ state: "disabled", account: "acme-builder", team: "release" });
    expect(linkRecords(sandbox.world()).filter((r) => r.includes("/release/"))).toEqual(["github:acme-builder/release/disabled"]);
  });

  it("replays a revocation plan that already ran: every step is done again without error", async () => {
    const ctx = context();
    const spec = link("legacy-builds");
    const plan = planLink(spec, await observeLink(ctx, spec), ctx);
    expect((await executePlan(ctx, plan)).failed).toBeNull();
    const replay = await executePlan(ctx, plan);
    expect(replay.failed).toBeNull();
    expect(replay.done).toHaveLength(plan.steps.length);
    expectLegacyRevoked();
  });

  it("refuses a step that would delete a foreign webhook, even in a hand-edited plan", async () => {
    const ctx = context();
    const repo = githubRepo(sandbox.world(), "acme/legacy-api");
    const foreign = repo.hooks.find((h) => h.config.url === FOREIGN)!;
    const result = await executePlan(ctx, {
      resource: "link",
      name: "legacy-builds",
      steps: [
        {
          kind: "delete-webhook",
          request: deleteWebhookRequest("github", ctx.apis.github!, "acme/legacy-api", String(foreign.id)),
          provider: "github",
          repository: "acme/legacy-api",
          hookId: String(foreign.id),
          url: FOREIGN,
        },
      ],
    });
    expect(result.failed?.error).toBeInstanceOf(ReconcileError);
    expect((result.failed?.error as ReconcileError).code).toBe("foreign-webhook");
    expect(githubRepo(sandbox.world(), "acme/legacy-api").hooks.map((h) => h.config.url)).toContain(FOREIGN);
  });

  it("refuses a step whose described request is not the one it would send", async () => {
    const ctx = context();
    const spec = link("legacy-builds");
    const plan = planLink(spec, await observeLink(ctx, spec), ctx);
    const [first, ...rest] = plan.steps;
    const tampered = {
      ...plan,
      steps: [{ ...first!, request: { method: "DELETE" as const, url: "http://127.0.0.1:1/elsewhere" } }, ...rest],
    };
    const result = await executePlan(ctx, tampered);
    expect((result.failed?.error as ReconcileError).code).toBe("request-mismatch");
    expect(result.remaining).toHaveLength(rest.length);
    expect(liveAppTokens(sandbox.world(), "legacy-builder")).toBe(1);
  });
});

// Each case gets its own sandbox so the cases can run at once.
describe.concurrent("convergence under faults", () => {
  // The relink's second add-repository step goes to the same path prefix as its first (the new link's id
  // is only known once it exists), so a fault meant for it would stop the first: its failure is step 1's case.
  const cases: { name: string; spec: () => LinkSpec; steps: number; indexes: number[] }[] = [
    { name: "legacy-builds (revoke)", spec: () => link("legacy-builds"), steps: 7, indexes: [0, 1, 2, 3, 4, 5, 6] },
    { name: "acme-builds (relink)", spec: () => link("acme-builds"), steps: 4, indexes: [0, 1, 3] },
  ];

  for (const { name, spec, steps, indexes } of cases) {
    for (const index of indexes) {
      it(`${name}: a failure at step ${index} stops there, and a re-run converges`, async ({ expect }) => {
        const own = await startSandbox({});
        try {
          const ctx = fastRetryContext(own);
          const plan = planLink(spec(), await observeLink(ctx, spec()), ctx);
          expect(plan.steps).toHaveLength(steps);
          const target = plan.steps[index]!;
          if (target.kind === "manual") throw new Error("fault cases target API steps");
          // A step on the link created by the preceding step: match every request under the namespace's links.
          const pathname = new URL(target.request.url).pathname.split("%7Bcreated%7D")[0]!;
          // Alternate server errors and timeouts; the rule stays until cleared, so client retries fail too.
          own.injectFault(
            index % 2 === 0
              ? { errorRate: 1, errorStatus: 503, match: { method: target.request.method, pathPrefix: pathname } }
              : { timeoutRate: 1, timeoutMs: 20, match: { method: target.request.method, pathPrefix: pathname } },
          );
          const first = await executePlan(ctx, plan);
          expect(first.failed?.step).toEqual(target);
          expect(first.done).toEqual(plan.steps.slice(0, index));
          expect(first.remaining).toEqual(plan.steps.slice(index + 1));

          own.clearFaults();
          const rerun = await reconcileLink(ctx, spec());
          expect(rerun.result.failed).toBeNull();
          const after = await observeLink(ctx, spec());
          expect(planLink(spec(), after, ctx).steps).toEqual([]);
          const world = own.world();
          if (spec().state === "revoked") {
            for (const repo of LEGACY) expect(githubRepo(world, repo).keys).toEqual([]);
            expect(liveAppTokens(world, "legacy-builder")).toBe(0);
          } else {
            expect(linkRecords(world).filter((r) => r.includes("/ci/"))).toEqual([
              "github:jdoe/ci/unlinked",
              "github:acme-builder/ci/enabled",
            ]);
            // A relink keeps the previous account's grant.
            expect(liveAppTokens(world, "jdoe")).toBe(1);
          }
          // The foreign webhook survives whatever failed; for the revoke it is all that is left.
          for (const repo of LEGACY) {
            const urls = githubRepo(world, repo).hooks.map((h) => h.config.url);
            if (spec().state === "revoked") expect(urls).toEqual([FOREIGN]);
            else expect(urls).toContain(FOREIGN);
          }
        } finally {
          await own.close();
        }
      });
    }
  }
});

describe("sweeping", () => {
  /** The demo config's sweep of org acme. */
  function acmeSweep(config: SourcelinksConfig) {
    const spec = config.sweeps?.find((s) => s.owner === "acme");
    if (!spec) throw new Error("no sweep of acme in the demo config");
    return spec;
  }
  const buildServiceHooks = (repository: string): string[] =>
    githubRepo(sandbox.world(), repository)
      .hooks.map((h) => h.config.url)
      .filter((url) => url.startsWith("https://cloud.docker.com/"));

  it("deletes what no live link covers, names it removed, and observes nothing left to remove", async () => {
    const config = demoConfig();
    expect(buildServiceHooks("acme/old-site")).toHaveLength(1);
    const outcome = await reconcileSweep(context(config), acmeSweep(config), config.links);
    expect(outcome.result.failed).toBeNull();
    expect(outcome.removed.map((a) => `${a.kind} ${a.repository}`)).toContain("repository-webhook acme/old-site");
    expect(buildServiceHooks("acme/old-site")).toEqual([]);
    expect(outcome.observed).not.toBeNull();
    expect(artifactsToRemove(outcome.observed!).filter((a) => !a.archived)).toEqual([]);
  });

  it("stops at a failed deletion: the failure is in the result, nothing counts as removed, and nothing is observed again", async () => {
    const config = demoConfig();
    sandbox.injectFault({ errorRate: 1, errorStatus: 422, match: { method: "DELETE", pathPrefix: "/github/repos/acme/old-site/hooks" } });
    const outcome = await reconcileSweep(context(config), acmeSweep(config), config.links);
    expect(outcome.result.failed?.step).toMatchObject({ kind: "delete-webhook", repository: "acme/old-site" });
    expect(outcome.removed.filter((a) => a.repository === "acme/old-site")).toEqual([]);
    expect(outcome.observed).toBeNull();
    expect(buildServiceHooks("acme/old-site")).toHaveLength(1);
  });
});

describe("org access", () => {
  it("observes both demo orgs through the build service and plans nothing", async () => {
    const ctx = context();
    const { links, orgAccess } = demoConfig();
    for (const spec of orgAccess) {
      const { observed, plan } = await reconcileOrgAccess(ctx, spec, links);
      expect(observed).toMatchObject({ org: spec.org, access: spec.access, observedVia: "build-service", pendingManualSteps: [] });
      expect(plan.steps).toEqual([]);
    }
  });

  it("grants access again through the build service after an org owner denied it", async () => {
    const ctx = context();
    const { links, orgAccess } = demoConfig();
    const acme = orgAccess[0]!;
    sandbox.world().github.orgs.find((o) => o.login === "acme")!.oauthAppAccess["Iv1.5a9d0c3e7b214f68"] = "denied";
    const observed = await observeOrgAccess(ctx, acme, links);
    expect(observed.access).toBe("denied");
    const plan = planOrgAccess(acme, observed, ctx, links);
    expect(plan.steps).toMatchObject([{ kind: "set-org-access", org: "acme", access: "granted", namespace: "acme" }]);
    const { result, observed: after } = await reconcileOrgAccess(ctx, acme, links);
    expect(result.failed).toBeNull();
    expect(after.access).toBe("granted");
    expect(sandbox.world().github.orgs.find((o) => o.login === "acme")!.oauthAppAccess["Iv1.5a9d0c3e7b214f68"]).toBe("granted");
  });

  it("falls back to the audit log, then to probing with a link's token, when the build service has no org access endpoint", async () => {
    const ctx = context();
    const { links, orgAccess } = demoConfig();
    const [acme, contractor] = orgAccess;
    // A self-hosted reference service without the optional endpoint answers 501 Not Implemented.
    const records = sandbox.world().buildService.links.filter((l) => l.state !== "unlinked");
    for (const record of records) {
      sandbox.injectFault({
        errorRate: 1,
        errorStatus: 501,
        match: { service: "build-service", method: "GET", pathPrefix: `/build/api/build/v1/acme/links/${record.id}/orgs/` },
      });
    }
    expect(await observeOrgAccess(ctx, acme!, links)).toMatchObject({
      access: "granted",
      observedVia: "audit-log",
      pendingManualSteps: [],
    });
    const probed = await observeOrgAccess(ctx, contractor!, links);
    expect(probed).toMatchObject({ access: "denied", observedVia: "probe", pendingManualSteps: [] });
    const wantGranted = await observeOrgAccess(ctx, { ...contractor!, access: "granted" }, links);
    expect(wantGranted.pendingManualSteps.map((m) => m.uiPath)).toEqual([
      "GitHub → Organization settings → Third-party Access → OAuth app policy → Docker Hub Builder → Review → Grant access",
    ]);
    expect(planOrgAccess({ ...contractor!, access: "granted" }, wantGranted, ctx, links).steps.map((st) => st.kind)).toEqual(["manual"]);
  });

  it("on docker-hub, reads the audit log where there is one and asks an org owner elsewhere", async () => {
    const config = demoConfig();
    config.buildService.kind = "docker-hub";
    const ctx = context(config);
    const [acme, contractor] = config.orgAccess;
    expect(await observeOrgAccess(ctx, acme!, config.links)).toMatchObject({
      access: "granted",
      observedVia: "audit-log",
      pendingManualSteps: [],
    });
    const unknown = await observeOrgAccess(ctx, contractor!, config.links);
    expect(unknown).toMatchObject({ access: "unknown", observedVia: "none" });
    expect(unknown.pendingManualSteps.map((s) => s.url)).toEqual([
      "https://github.com/organizations/contractor-co/settings/oauth_application_policy",
    ]);
    expect(planOrgAccess(contractor!, unknown, ctx, config.links).steps.map((s) => s.kind)).toEqual(["manual"]);
  });
});
