/**
 * The provider through Pulumi's own engine protocol: the real dynamic-provider host, driven over
 * gRPC in the engine's order (Configure → Check → Create → Diff/Update → Read → Delete) against the
 * sandbox's demo world, asserting the world after every step.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import type { World } from "../../sandbox/world.js";
import { BUILD_TIMEOUT_MS, demoConfig, ensureBuilt, linkInputs, orgAccessInputs, serializedProviders } from "../support/provider-dist.js";
import { FakeEngine, makeUrn, type PropertyMap, ProviderHost, providerKey, revealSecrets } from "../support/engine-harness.js";
import { expectNoSecretIn } from "../support/no-secret.js";

const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const ORG_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess";
const BUILD_HOOK = /^https:\/\/(cloud\.docker\.com\/api\/build\/v1\/vcs\/|registry\.hub\.docker\.com\/hooks\/)/;
const FOREIGN_HOOK = "https://ci.acme.example/hooks/github";

let sandbox: SandboxHandle;
let config: SourcelinksConfig;
let serialized: { link: string; orgAccess: string };
/** The host most tests share: the GitHub token from stack config, everything else from the environment. */
let host: ProviderHost;

/** Every credential the world holds: none may appear in any output or error. */
function worldSecrets(world: World): string[] {
  return [
    ...world.github.tokens.map((t) => t.token),
    ...world.oauthApps.map((a) => a.clientSecret),
    ...world.bitbucket.users.flatMap((u) => [u.apiToken, u.appPassword, ...u.grants.map((g) => g.accessToken)]),
    ...world.buildService.tokens.map((t) => t.token),
    ...world.buildService.links.flatMap((l) => (l.grantToken ? [l.grantToken] : [])),
  ].filter((s) => s.length >= 6);
}

function expectNoSecret(text: string): void {
  expectNoSecretIn(text, worldSecrets(sandbox.world()));
}

function links(namespace = "acme"): World["buildService"]["links"] {
  return sandbox.world().buildService.links.filter((l) => l.namespace === namespace);
}

function githubHooks(repository: string): string[] {
  const [owner, name] = repository.split("/");
  return (
    sandbox
      .world()
      .github.repos.find((r) => r.owner === owner && r.name === name)
      ?.hooks.map((h) => h.config.url) ?? []
  );
}

function githubKeys(repository: string): string[] {
  const [owner, name] = repository.split("/");
  return (
    sandbox
      .world()
      .github.repos.find((r) => r.owner === owner && r.name === name)
      ?.keys.map((k) => k.title) ?? []
  );
}

function oauthTokenLive(login: string): boolean {
  return sandbox.world().github.tokens.some((t) => t.kind === "oauth" && t.login === login && !t.revoked);
}

/** Host env: PATH plus the sandbox's variables, minus any the test wants to come from stack config instead. */
function hostEnv(without: string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "" };
  for (const [key, value] of Object.entries(sandbox.env)) if (!without.includes(key)) env[key] = value;
  return env;
}

beforeAll(async () => {
  await ensureBuilt();
  config = await demoConfig();
  serialized = await serializedProviders();
  sandbox = await startSandbox();
  // The GitHub token comes from stack config (Configure), not from the host's environment.
  host = await ProviderHost.start({ env: hostEnv(["GITHUB_TOKEN"]) });
  await host.configure({
    "sourcelinks:githubToken": sandbox.env.GITHUB_TOKEN,
    "sourcelinks:configFiles": "examples/basic/sourcelinks.yaml",
  });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await host.close();
  await sandbox.close();
});

// Steps of one lifecycle, each on the state the one before left: run in order even when shuffled.
describe("SourceProviderLink on GitHub: the team link acme-builds", { shuffle: false }, () => {
  let engine: FakeEngine;
  const urn = makeUrn(LINK_TYPE, "acme-builds");
  const inputs = (change: PropertyMap = {}): PropertyMap => linkInputs(config, "acme-builds", serialized.link, change);

  beforeAll(async () => {
    await sandbox.reset();
    engine = new FakeEngine(host);
  });

  it("check accepts a team link through a person's account: team-link-uses-service-account is a policy", async () => {
    const checked = await host.check(urn, {}, inputs({ serviceAccount: false }));
    expect(checked.failures).toEqual([]);
  });

  it("check reports schema errors with Pulumi property paths", async () => {
    const checked = await host.check(urn, {}, inputs({ repositories: ["acme/api", "not a repository"] }));
    expect(checked.failures.map((f) => f.property)).toEqual(["repositories[1]"]);
  });

  it("create relinks team ci from the person jdoe to the service account, with a stable id", async () => {
    const { op, entry } = await engine.up(urn, inputs());
    expect(op).toBe("create");
    expect(entry.id).toBe("acme/github/team:ci");
    const team = links().filter((l) => l.team === "ci");
    expect(team.find((l) => l.account === "acme-builder")).toMatchObject({ state: "enabled", service_account: true });
    expect(team.find((l) => l.account === "jdoe")?.state).toBe("unlinked");
    expect(entry.outputs).toMatchObject({ liveState: "linked", account: "acme-builder", providerGrant: "active", pendingManualSteps: [] });
    expect(entry.outputs[providerKey]).toBe(serialized.link);
    expectNoSecret(JSON.stringify(entry.outputs));
  });

  it("a second up with the same inputs is a no-op (diff reports no changes)", async () => {
    const { op, diff } = await engine.up(urn, inputs());
    expect(op).toBe("same");
    expect(diff).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
  });

  it("refresh reads the live webhooks of the declared repositories, flattened with their repository", async () => {
    const entry = await engine.refresh(urn);
    const webhooks = revealSecrets(entry.outputs.webhooks) as { repository: string; url: string; active: boolean }[];
    expect(webhooks.map((w) => w.repository).sort()).toEqual(["acme/api", "acme/web"]);
    expect(webhooks.every((w) => BUILD_HOOK.test(w.url) && w.active)).toBe(true);
    expect(entry.outputs.liveState).toBe("linked");
  });

  it("a link drifted on the build service shows as a change after refresh, and up repairs it", async () => {
    const live = links().find((l) => l.team === "ci" && l.account === "acme-builder");
    if (live === undefined) throw new Error("the relinked team link is missing");
    live.state = "disabled"; // someone clicked the plug icon in the UI
    expect((await engine.refresh(urn)).outputs.liveState).toBe("disabled");
    const { op, diff } = await engine.up(urn, inputs());
    expect(diff?.changes).toBe("some");
    expect(op).toBe("update");
    expect(live.state).toBe("enabled");
  });

  it("disable and re-enable are in-place updates of the same link", async () => {
    const disabled = await engine.up(urn, inputs({ state: "disabled" }));
    expect(disabled.op).toBe("update");
    expect(disabled.diff?.replaces).toEqual([]);
    expect(links().find((l) => l.team === "ci" && l.account === "acme-builder")?.state).toBe("disabled");
    expect(disabled.entry.outputs.liveState).toBe("disabled");

    const enabled = await engine.up(urn, inputs({ state: "linked" }));
    expect(enabled.op).toBe("update");
    expect(links().find((l) => l.team === "ci" && l.account === "acme-builder")?.state).toBe("enabled");
  });

  it("a namespace change is a replacement, revoking the old link before linking anew", async () => {
    const diff = await host.diff("acme/github/team:ci", urn, engine.state.get(urn)?.outputs ?? {}, inputs({ namespace: "other" }), {});
    expect(diff).toEqual({ changes: "some", replaces: ["namespace"], deleteBeforeReplace: true });
  });

  it("revoke unlinks, revokes the grant by API and deletes the build service's webhooks and deploy keys", async () => {
    const { op, entry } = await engine.up(urn, inputs({ state: "revoked" }));
    expect(op).toBe("update");
    expect(links().find((l) => l.team === "ci" && l.account === "acme-builder")?.state).toBe("unlinked");
    for (const repo of ["acme/api", "acme/web"]) {
      expect(githubHooks(repo)).toEqual([]);
      expect(githubKeys(repo)).toEqual([]);
    }
    expect(oauthTokenLive("acme-builder")).toBe(false);
    expect(entry.outputs).toMatchObject({
      liveState: "revoked",
      providerGrant: "revoked",
      pendingManualSteps: [],
      webhooks: [],
      deployKeys: [],
    });
    expectNoSecret(JSON.stringify(entry.outputs));
  });

  it("destroy of a revoked link changes nothing more and succeeds", async () => {
    const before = JSON.stringify(sandbox.world().buildService.links);
    await engine.destroy(urn);
    expect(JSON.stringify(sandbox.world().buildService.links)).toBe(before);
  });
});

describe("SourceProviderLink on GitHub: finishing the half-done revoke of legacy-builds", () => {
  let engine: FakeEngine;
  let other: ProviderHost | null = null;
  const urn = makeUrn(LINK_TYPE, "legacy-builds");
  const repos = ["acme/legacy-api", "acme/legacy-web", "acme/legacy-worker"];

  beforeEach(async () => {
    await sandbox.reset();
  });

  afterEach(async () => {
    await other?.close();
    other = null;
  });

  it("with the app's client secret (env): revokes the grant by API, removes webhooks and keys, keeps the FOREIGN webhook", async () => {
    engine = new FakeEngine(host);
    const { entry } = await engine.up(urn, linkInputs(config, "legacy-builds", serialized.link));
    expect(entry.id).toBe("acme/github/legacy-builder");
    for (const repo of repos) {
      expect(githubHooks(repo)).toEqual([FOREIGN_HOOK]);
      expect(githubKeys(repo)).toEqual([]);
    }
    expect(oauthTokenLive("legacy-builder")).toBe(false);
    expect(entry.outputs).toMatchObject({ liveState: "revoked", providerGrant: "revoked", pendingManualSteps: [] });
  });

  it("an account change of a link without a team replaces it: the old link revoked first, then the new one linked", async () => {
    engine = new FakeEngine(host);
    await engine.up(urn, linkInputs(config, "legacy-builds", serialized.link));
    const replaced = await engine.up(
      urn,
      linkInputs(config, "legacy-builds", serialized.link, { account: "acme-builder", state: "linked" }),
    );
    expect(replaced.op).toBe("replace");
    expect(replaced.diff).toMatchObject({ replaces: ["account"], deleteBeforeReplace: true });
    expect(replaced.entry.id).toBe("acme/github/acme-builder");
    expect(links().find((l) => l.account === "acme-builder" && l.team === null)?.state).toBe("enabled");
    expect(links().find((l) => l.account === "legacy-builder")?.state).toBe("unlinked");
    for (const repo of repos) expect(githubHooks(repo)).toEqual([FOREIGN_HOOK]);
  });

  it("without a client secret: cleans up what APIs allow and reports the grant revocation as a manual step", async () => {
    other = await ProviderHost.start({ env: hostEnv(["SOURCELINKS_GITHUB_CLIENT_SECRET"]) });
    await other.configure({});
    engine = new FakeEngine(other);
    const { entry } = await engine.up(urn, linkInputs(config, "legacy-builds", serialized.link));
    for (const repo of repos) expect(githubHooks(repo)).toEqual([FOREIGN_HOOK]);
    expect(oauthTokenLive("legacy-builder")).toBe(true);
    const steps = entry.outputs.pendingManualSteps as { id: string; url: string }[];
    expect(steps.map((s) => s.id)).toContain("revoke-grant:github:legacy-builder");
    expect(steps.find((s) => s.id === "revoke-grant:github:legacy-builder")?.url).toBe("https://github.com/settings/applications");
    expect(entry.outputs.providerGrant).toBe("unverifiable");
  });

  it("the client secret set as stack config (sourcelinks:githubClientSecret) is enough to revoke by API", async () => {
    other = await ProviderHost.start({ env: hostEnv(["SOURCELINKS_GITHUB_CLIENT_SECRET"]) });
    await other.configure({ "sourcelinks:githubClientSecret": sandbox.env.SOURCELINKS_GITHUB_CLIENT_SECRET });
    engine = new FakeEngine(other);
    const { entry } = await engine.up(urn, linkInputs(config, "legacy-builds", serialized.link));
    expect(oauthTokenLive("legacy-builder")).toBe(false);
    expect(entry.outputs.pendingManualSteps).toEqual([]);
  });
});

// Steps of one lifecycle, each on the state the one before left: run in order even when shuffled.
describe("SourceProviderLink on Bitbucket: mobile-builds", { shuffle: false }, () => {
  let engine: FakeEngine;
  const urn = makeUrn(LINK_TYPE, "mobile-builds");
  const inputs = (change: PropertyMap = {}): PropertyMap => linkInputs(config, "mobile-builds", serialized.link, change);
  const mobile = (): World["buildService"]["links"][number] | undefined =>
    links().find((l) => l.provider === "bitbucket" && l.account === "acme-bb-builder");
  const mobileHooks = (): string[] =>
    sandbox
      .world()
      .bitbucket.repos.find((r) => r.workspace === "acme-team" && r.slug === "mobile")
      ?.hooks.map((h) => h.url) ?? [];

  beforeAll(async () => {
    await sandbox.reset();
    engine = new FakeEngine(host);
  });

  it("create adopts the existing live link instead of creating a second one", async () => {
    const before = links().length;
    const { op, entry } = await engine.up(urn, inputs());
    expect(op).toBe("create");
    expect(entry.id).toBe("acme/bitbucket/acme-bb-builder");
    expect(links()).toHaveLength(before);
    expect(entry.outputs).toMatchObject({ liveState: "linked", linkId: mobile()?.id });
    expect((entry.outputs.webhooks as { repository: string }[]).map((w) => w.repository)).toEqual(["acme-team/mobile"]);
  });

  it("disable, then re-enable", async () => {
    await engine.up(urn, inputs({ state: "disabled" }));
    expect(mobile()?.state).toBe("disabled");
    await engine.up(urn, inputs({ state: "linked" }));
    expect(mobile()?.state).toBe("enabled");
  });

  it("delete with onDelete: revoke revokes: unlinks, deletes the webhook, and leaves the Bitbucket grant as a manual step (no API)", async () => {
    const declared = await engine.up(urn, inputs({ onDelete: "revoke" }));
    expect(declared.op).toBe("update");
    expect(mobile()?.state).toBe("enabled");
    const state = engine.state.get(urn);
    if (state === undefined) throw new Error("no state");
    await engine.destroy(urn);
    expect(mobile()?.state).toBe("unlinked");
    expect(mobileHooks()).toEqual([]);
    // Refresh as a stand-alone read of what delete left: the grant cannot be revoked by API.
    const read = await host.read(state.id, urn, { ...state.outputs, state: "revoked" }, state.inputs);
    expect(read.properties).toMatchObject({ liveState: "revoked", providerGrant: "unverifiable" });
    expect((read.properties.pendingManualSteps as { id: string }[]).map((s) => s.id)).toContain("revoke-grant:bitbucket:acme-bb-builder");
    expectNoSecret(JSON.stringify(read.properties));
  });

  it("read of a link gone from the build service reports it absent instead of failing", async () => {
    const state = engine.state.get(urn);
    const props = state?.outputs ?? inputs();
    sandbox.world().buildService.links = sandbox.world().buildService.links.filter((l) => l.provider !== "bitbucket");
    const read = await host.read("acme/bitbucket/acme-bb-builder", urn, props, inputs());
    expect(read.id).toBe("acme/bitbucket/acme-bb-builder");
    expect(read.properties.liveState).toBe("absent");
  });

  it("read of an id that is not a link id fails with a message naming it", async () => {
    await expect(host.read("nonsense", urn, inputs(), inputs())).rejects.toThrow('"nonsense" is not a link id');
  });
});

// Steps of one lifecycle, each on the state the one before left: run in order even when shuffled.
describe("OrgThirdPartyAccess", { shuffle: false }, () => {
  let engine: FakeEngine;

  beforeAll(async () => {
    await sandbox.reset();
    engine = new FakeEngine(host);
  });

  it("observes acme's grant through the build service, and denies contractor-co as declared", async () => {
    const acme = await engine.up(makeUrn(ORG_TYPE, "acme-github"), orgAccessInputs(config, "acme", serialized.orgAccess));
    expect(acme.entry.id).toBe("acme/github");
    expect(acme.entry.outputs).toMatchObject({ observedAccess: "granted", pendingManualSteps: [] });
    const contractor = await engine.up(
      makeUrn(ORG_TYPE, "contractor-co-github"),
      orgAccessInputs(config, "contractor-co", serialized.orgAccess),
    );
    expect(contractor.entry.outputs.observedAccess).toBe("denied");
    expect(sandbox.world().github.orgs.find((o) => o.login === "contractor-co")?.oauthAppAccess["Iv1.5a9d0c3e7b214f68"]).toBe("denied");
    expectNoSecret(JSON.stringify([acme.entry.outputs, contractor.entry.outputs]));
  });

  it("delete stops managing the org and leaves its setting in place", async () => {
    await engine.destroy(makeUrn(ORG_TYPE, "acme-github"));
    expect(sandbox.world().github.orgs.find((o) => o.login === "acme")?.oauthAppAccess["Iv1.5a9d0c3e7b214f68"]).toBe("granted");
  });
});
