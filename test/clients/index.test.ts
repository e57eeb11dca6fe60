import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClients } from "../../engine/clients/index.js";
import { Secret } from "../../engine/model/secret.js";
import type { ClientSettings } from "../../engine/model/client-settings.js";
import { DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS, DOCKER_HUB_WEBHOOK_URL_PATTERNS } from "../../engine/config/defaults.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import type { BuildServiceSpec } from "../../engine/model/spec.js";
import { planSettingsOf } from "../../engine/reconcile/plan-settings.js";

/** Settings for the sandbox's demo world, from the env it hands out (docs/sandbox.md). */
function demoSettings(sandbox: SandboxHandle, overrides: Partial<ClientSettings["buildService"]> = {}): ClientSettings {
  const env = sandbox.env;
  return {
    buildService: {
      kind: "reference",
      apiUrl: env.SOURCELINKS_BUILD_API_URL,
      token: new Secret(env.SOURCELINKS_BUILD_TOKEN),
      webhookUrlPatterns: [...DOCKER_HUB_WEBHOOK_URL_PATTERNS],
      deployKeyTitlePatterns: [...DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS],
      ...overrides,
    },
    github: { apiUrl: env.SOURCELINKS_GITHUB_API_URL, token: new Secret(env.GITHUB_TOKEN) },
    bitbucket: { apiUrl: env.SOURCELINKS_BITBUCKET_API_URL, username: env.BITBUCKET_EMAIL, token: new Secret(env.BITBUCKET_API_TOKEN) },
  };
}

/** The declared build service the settings were resolved from; the patterns that count are the resolved settings'. */
function buildServiceSpec(): BuildServiceSpec {
  return {
    kind: "reference",
    apiUrl: sandbox.env.SOURCELINKS_BUILD_API_URL,
    tokenEnv: "SOURCELINKS_BUILD_TOKEN",
    webhookUrlPatterns: [],
    deployKeyTitlePatterns: [],
    oauthApps: {},
  };
}

let sandbox: SandboxHandle;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), "sourcelinks-clients-"));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("createClients", () => {
  it("does no I/O at construction: no request, and the ETag cache file is not read", () => {
    const before = sandbox.counters().requests;
    const corrupt = join(dir, "corrupt-etags.json");
    writeFileSync(corrupt, "{ not json");
    const clients = createClients({ ...demoSettings(sandbox), options: { etagCacheFile: corrupt, concurrency: 4 } });
    expect(clients.buildService).not.toBeNull();
    expect(sandbox.counters().requests).toBe(before);
  });

  it("wires every client of the demo world to the sandbox", async () => {
    const clients = createClients(demoSettings(sandbox));
    const links = await clients.buildService!.listLinks("acme");
    expect(links.map((l) => [l.provider, l.account, l.state])).toEqual([
      ["github", "jdoe", "linked"],
      ["github", "legacy-builder", "revoked"],
      ["bitbucket", "acme-bb-builder", "linked"],
    ]);
    expect(Object.keys(clients.providers).sort()).toEqual(["bitbucket", "github"]);
    expect(clients.providers.github!.kind).toBe("github");
    const { webhooks, deployKeys } = planSettingsOf(buildServiceSpec(), demoSettings(sandbox), false);
    const github = await clients.providers.github!.listWebhooks("acme/legacy-api");
    expect(github.items.map((h) => webhooks.matchesAny(h.url))).toEqual(expect.arrayContaining([true, false]));
    const bitbucket = await clients.providers.bitbucket!.listWebhooks("acme-team/mobile");
    expect(bitbucket.items.filter((h) => webhooks.matchesAny(h.url))).toHaveLength(1);
    const keys = await clients.providers.github!.listDeployKeys("acme/api");
    expect(keys.items.every((k) => deployKeys.matchesAny(k.title))).toBe(true);
    expect(keys.items.length).toBeGreaterThan(0);
    expect(clients.githubGrants).not.toBeNull();
    expect(clients.githubOrgAccess).not.toBeNull();
  });

  it("has no build service client for docker-hub, and no GitHub or Bitbucket clients when they are not configured", () => {
    const clients = createClients({ ...demoSettings(sandbox, { kind: "docker-hub" }), github: null, bitbucket: null });
    expect(clients.buildService).toBeNull();
    expect(clients.providers).toEqual({});
    expect(clients.githubGrants).toBeNull();
    expect(clients.githubOrgAccess).toBeNull();
  });

  it("the run's settings match webhooks and deploy keys with the configured patterns, not Docker Hub's", () => {
    const { webhooks, deployKeys } = planSettingsOf(
      buildServiceSpec(),
      demoSettings(sandbox, { webhookUrlPatterns: ["https://builds.example.com/hooks/*"], deployKeyTitlePatterns: ["Builds*"] }),
      false,
    );
    expect(webhooks.matchesAny("https://builds.example.com/hooks/42")).toBe(true);
    expect(webhooks.matchesAny("https://registry.hub.docker.com/hooks/github")).toBe(false);
    expect(deployKeys.matchesAny("Builds (acme/api)")).toBe(true);
    expect(deployKeys.matchesAny("Docker Hub Builder")).toBe(false);
  });

  it("flush writes the ETag cache file once GitHub answers were cached, and a later run reads it", async () => {
    const file = join(dir, "etags.json");
    const first = createClients({ ...demoSettings(sandbox), options: { etagCacheFile: file } });
    await first.providers.github!.listWebhooks("acme/api");
    await first.flush!();
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ version: 1 });
    const notModifiedBefore = sandbox.counters().notModified;
    const second = createClients({ ...demoSettings(sandbox), options: { etagCacheFile: file } });
    await second.providers.github!.listWebhooks("acme/api");
    expect(sandbox.counters().notModified).toBe(notModifiedBefore + 1);
  });
});
