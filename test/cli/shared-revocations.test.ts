/**
 * Two revoked links of one account that build from one repository: the account's grant, the
 * repository's webhook and its deploy key are one thing each, so the plan holds one step for each,
 * apply sends one request for each and prints it once, and the counts match the requests sent.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { acmeConfig, acmeSeed } from "../support/acme-world.js";
import { runCli } from "../support/cli-harness.js";

const HOOK = "https://cloud.docker.com/api/build/v1/vcs/5e1b7c2d-0a9f-4d3e-8b6c-1f2e3d4c5b6a/trigger/call/";

const SEED = acmeSeed({
  users: [{ login: "old-bot" }],
  orgs: [{ login: "acme", owners: ["owner"], members: ["old-bot"], restrictions: false }],
  repos: [
    {
      name: "acme/site",
      hooks: [
        { url: HOOK, events: ["push"] },
        { url: "https://ci.acme.example/hooks/github", events: ["push"] },
      ],
      deployKeys: [{ title: "Docker Hub Builder" }],
    },
  ],
  links: [
    { team: "qa", provider: "github", account: "old-bot", serviceAccount: true, repositories: ["acme/site"] },
    { provider: "github", account: "old-bot", serviceAccount: true, repositories: ["acme/site"] },
  ],
});

const CONFIG = acmeConfig(
  `links:
  - { name: old-qa, namespace: acme, team: qa, provider: github, account: old-bot, serviceAccount: true, state: revoked, repositories: [acme/site] }
  - { name: old-own, namespace: acme, provider: github, account: old-bot, serviceAccount: true, state: revoked, repositories: [acme/site] }
orgAccess: []
`,
  { deployKeys: true },
);

let sandbox: SandboxHandle;
let env: Record<string, string>;
let file: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  file = join(mkdtempSync(join(tmpdir(), "sourcelinks-shared-revocations-")), "sourcelinks.yaml");
  writeFileSync(file, CONFIG);
});
afterAll(async () => {
  await sandbox.close();
});

interface PlanJson {
  summary: {
    apiSteps: number;
    providerRevocations: number;
    webhookDeletions: number;
    deployKeyDeletions: number;
    buildServiceCalls: number;
  };
  resources: { name: string; steps: { kind: string }[]; sentBy: { kind: string; by: string }[] }[];
}

/** The requests the sandbox answered, by endpoint. */
function sent(): Record<string, number> {
  return { ...sandbox.counters().byEndpoint };
}

function delta(before: Record<string, number>, after: Record<string, number>, endpoint: string): number {
  return (after[endpoint] ?? 0) - (before[endpoint] ?? 0);
}

describe("two revoked links sharing an account and a repository", () => {
  // Each test starts from the seeded world: the other one applies.
  beforeEach(async () => {
    await sandbox.reset();
  });

  it("plans one step per grant, webhook and deploy key; apply sends and prints each once; the counts match the requests", async () => {
    const plan = await runCli(["plan", file, "--format", "json"], env);
    expect(plan.code, plan.stderr).toBe(0);
    const json = JSON.parse(plan.stdout) as PlanJson;
    const [qa, own] = json.resources;
    expect(qa?.steps.map((s) => s.kind)).toEqual(["revoke-grant", "unlink", "delete-webhook", "delete-deploy-key"]);
    expect(own?.steps.map((s) => s.kind)).toEqual(["unlink"]);
    expect(own?.sentBy.map((s) => [s.kind, s.by])).toEqual([
      ["revoke-grant", "old-qa"],
      ["delete-webhook", "old-qa"],
      ["delete-deploy-key", "old-qa"],
    ]);
    expect(json.summary).toMatchObject({
      apiSteps: 5,
      providerRevocations: 1,
      webhookDeletions: 1,
      deployKeyDeletions: 1,
      buildServiceCalls: 2,
    });

    const before = sent();
    const apply = await runCli(["apply", file, "--yes", "--max-revoke-ratio", "1"], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const after = sent();
    const grants = delta(before, after, "DELETE /github/applications/:client_id/grant");
    const hooks = delta(before, after, "DELETE /github/repos/:owner/:repo/hooks/:hook_id");
    const keys = delta(before, after, "DELETE /github/repos/:owner/:repo/keys/:key_id");
    const unlinks = delta(before, after, "DELETE /build/api/build/v1/:namespace/links/:id/");
    expect([grants, hooks, keys, unlinks]).toEqual([1, 1, 1, 2]);
    expect(apply.stdout).toContain(`Apply complete: ${grants + hooks + keys + unlinks} requests sent.`);
    const report = apply.stdout.slice(apply.stdout.indexOf("\nApply:"));
    expect(report.match(/done {4}delete webhook /g)).toHaveLength(1);
    expect(report.match(/done {4}delete deploy key /g)).toHaveLength(1);
    expect(report.match(/done {4}revoke github account old-bot/g)).toHaveLength(1);

    const repo = sandbox.world().github.repos.find((r) => r.name === "site");
    expect(repo?.hooks.map((h) => h.config.url)).toEqual(["https://ci.acme.example/hooks/github"]);
    expect(repo?.keys).toEqual([]);
    const again = await runCli(["plan", file, "--detailed-exitcode"], env);
    expect(again.code, again.stdout).toBe(0);
  });

  it("on docker-hub too: one deletion each, and the account's grant and unlink steps for a person counted once", async () => {
    const hub = join(mkdtempSync(join(tmpdir(), "sourcelinks-shared-hub-")), "sourcelinks.yaml");
    writeFileSync(
      hub,
      CONFIG.replace("kind: reference", "kind: docker-hub").replace(", clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET", ""),
    );
    const plan = await runCli(["plan", hub, "--format", "json"], env);
    expect(plan.code, plan.stderr).toBe(0);
    const json = JSON.parse(plan.stdout) as PlanJson & { summary: { manualSteps: number } };
    expect(json.summary).toMatchObject({ apiSteps: 2, webhookDeletions: 1, deployKeyDeletions: 1, manualSteps: 2 });

    const before = sent();
    const apply = await runCli(["apply", hub, "--yes", "--max-revoke-ratio", "1"], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const after = sent();
    expect(delta(before, after, "DELETE /github/repos/:owner/:repo/hooks/:hook_id")).toBe(1);
    expect(delta(before, after, "DELETE /github/repos/:owner/:repo/keys/:key_id")).toBe(1);
    expect(apply.stdout).toContain("Apply complete: 2 requests sent.");
  });
});
