/**
 * A revocation keeps what a live link builds from, also when the two name the repository differently
 * because it was renamed: the build service keeps the name a link was made with, and a YAML may carry
 * either. GitHub's old name redirects to the same repository, so the revoked link's listing shows the
 * live link's webhook and deploy key; the plan must keep them (kept for the live link) and delete nothing
 * there, whichever of the two names each side uses, and for a live link the build service alone shows.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { runCli } from "../support/cli-harness.js";

const CLIENT_ID = "Iv1.3c5e7a9b1d2f4608";
const HOOK = "https://cloud.docker.com/api/build/v1/vcs/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/trigger/call/";

const SEED = `
operator: { github: owner, namespace: acme }
oauthApps:
  - { provider: github, clientId: ${CLIENT_ID}, name: Docker Hub Builder }
github:
  users:
    - { login: owner }
    - { login: live-bot }
    - { login: old-bot }
  orgs:
    - { login: acme, owners: [owner], members: [live-bot, old-bot], restrictions: false }
  repos:
    - name: acme/api
      hooks:
        - { url: "${HOOK}", events: [push] }
      deployKeys:
        - { title: Docker Hub Builder }
buildService:
  namespaces:
    - name: acme
      links:
        - { provider: github, account: live-bot, serviceAccount: true, repositories: [acme/api] }
        - { provider: github, account: old-bot, serviceAccount: true, repositories: [acme/api] }
`;

/** The configuration: `legacy` revoked and `live` kept, each naming the repository as given. */
function config(names: { legacy: string; live: string | null }): string {
  const live =
    names.live === null
      ? ""
      : `  - { name: live, namespace: acme, provider: github, account: live-bot, serviceAccount: true, state: linked, repositories: [${names.live}] }\n`;
  return `apiVersion: sourcelinks/v1
buildService:
  kind: reference
  apiUrl: https://builds.example.com/api/build/v1
  tokenEnv: SOURCELINKS_BUILD_TOKEN
  webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"]
  deployKeyTitlePatterns: ["Docker Hub Builder*"]
  oauthApps:
    github: { clientId: ${CLIENT_ID}, name: Docker Hub Builder, clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET }
providers:
  github: { tokenEnv: GITHUB_TOKEN }
links:
  - { name: legacy, namespace: acme, provider: github, account: old-bot, serviceAccount: true, state: revoked, repositories: [${names.legacy}] }
${live}orgAccess: []
`;
}

interface PlanResource {
  name: string;
  steps: { kind: string; repository?: string }[];
  kept: { kind: string; repository?: string; keptFor: string[] }[];
}

let sandbox: SandboxHandle;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  dir = mkdtempSync(join(tmpdir(), "sourcelinks-renamed-revocation-"));
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await sandbox.reset();
  // Renamed after both links were made: the build service's records keep listing acme/api.
  await renameRepository();
});

/** Renames acme/api to acme/api-v2 as its owner, through the API. */
async function renameRepository(): Promise<void> {
  const renamed = await fetch(`${sandbox.baseUrl}/github/repos/acme/api`, {
    method: "PATCH",
    headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "api-v2" }),
  });
  expect(renamed.status).toBe(200);
}

async function legacyPlan(names: { legacy: string; live: string | null }): Promise<PlanResource> {
  const file = join(dir, `${names.legacy.replace("/", "-")}-${names.live?.replace("/", "-") ?? "undeclared"}.yaml`);
  writeFileSync(file, config(names));
  const plan = await runCli(["plan", file, "--format", "json"], env);
  expect(plan.code, plan.stderr).toBe(0);
  const legacy = (JSON.parse(plan.stdout) as { resources: PlanResource[] }).resources.find((r) => r.name === "legacy");
  expect(legacy).toBeDefined();
  return legacy!;
}

/** The webhook and deploy key still on the repository, by its current name. */
function leftOnRepository(): { hooks: string[]; keys: string[] } {
  const repo = sandbox.world().github.repos.find((r) => r.name === "api-v2")!;
  return { hooks: repo.hooks.map((h) => h.config.url), keys: repo.keys.map((k) => k.title) };
}

describe("revoking a link whose repository another live link names by another name", () => {
  it.each([
    { case: "the revoked link names the new name, the live link the old one", legacy: "acme/api-v2", live: "acme/api" },
    { case: "the revoked link names the old name, the live link the new one", legacy: "acme/api", live: "acme/api-v2" },
  ])("keeps the webhook and deploy key when $case, and apply leaves them", async ({ legacy, live }) => {
    const plan = await legacyPlan({ legacy, live });
    expect(plan.steps.map((s) => s.kind)).toEqual(["revoke-grant", "unlink"]);
    expect(plan.kept.map((k) => [k.kind, k.keptFor])).toEqual([
      ["webhook", [`"live" (namespace acme)`]],
      ["deploy-key", [`"live" (namespace acme)`]],
    ]);

    const file = join(dir, `${legacy.replace("/", "-")}-${live.replace("/", "-")}.yaml`);
    const apply = await runCli(["apply", file, "--yes", "--max-revoke-ratio", "1"], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(leftOnRepository()).toEqual({ hooks: [HOOK], keys: ["Docker Hub Builder"] });
  });

  it("keeps them for a live link only the build service shows, which lists the old name", async () => {
    const plan = await legacyPlan({ legacy: "acme/api-v2", live: null });
    expect(plan.steps.map((s) => s.kind)).toEqual(["revoke-grant", "unlink"]);
    expect(plan.kept.map((k) => k.kind)).toEqual(["webhook", "deploy-key"]);
    expect(plan.kept[0]?.keptFor).toEqual([expect.stringMatching(/^link \d+ in namespace acme \(github account live-bot\)$/)]);
  });

  it.each(["acme/api", "acme/api-v2"])(
    "still deletes them, once each, when no other live link builds from the repository under any name (revoked link naming %s)",
    async (name) => {
      const onlyLegacy = SEED.replace(
        "        - { provider: github, account: live-bot, serviceAccount: true, repositories: [acme/api] }\n",
        "",
      );
      await sandbox.close();
      sandbox = await startSandbox({ seed: onlyLegacy });
      env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
      try {
        await renameRepository();
        const plan = await legacyPlan({ legacy: name, live: null });
        expect(plan.steps.map((s) => s.kind)).toEqual(["revoke-grant", "unlink", "delete-webhook", "delete-deploy-key"]);
        expect(plan.kept).toEqual([]);
      } finally {
        // The other tests, in whatever order they run, expect the world with the live link.
        await sandbox.close();
        sandbox = await startSandbox({ seed: SEED });
        env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
      }
    },
  );
});
