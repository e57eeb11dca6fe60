/**
 * Moving a team to another account, end to end against the sandbox: the previous account's grant is
 * kept unless the link asks to revoke it (it also backs alice's own link, in a namespace the operator's
 * token cannot see), and the new link builds from every declared repository. A live link whose record
 * lists fewer repositories than declared is drift that `plan` repairs and `check --live` reports.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { acmeConfig, acmeSeed } from "../support/acme-world.js";
import { runCli } from "../support/cli-harness.js";

/** Team ml is linked through alice's account; alice also links her own namespace, which the operator cannot see. */
const SEED = acmeSeed({
  users: [{ login: "alice" }, { login: "ml-builder" }],
  orgs: [{ login: "acme", owners: ["owner"], members: ["alice", "ml-builder"], restrictions: false }],
  repos: [{ name: "acme/train" }, { name: "acme/serve" }, { name: "alice/dotfiles" }],
  links: [
    { team: "ml", provider: "github", account: "alice", serviceAccount: false, repositories: ["acme/train", "acme/serve"] },
    { provider: "github", account: "ml-builder", serviceAccount: true, repositories: ["acme/train"] },
  ],
  namespaces: [
    {
      name: "alice",
      tokens: [{ value: "sbx-bs-alice-own-namespace" }],
      links: [{ provider: "github", account: "alice", serviceAccount: false, repositories: ["alice/dotfiles"] }],
    },
  ],
});

const HEAD = acmeConfig("orgAccess: []\n");

/** Team ml moved to the service account ml-builder; `extra` is added to the team link's entry. */
function teamConfig(extra = ""): string {
  return `${HEAD}links:
  - name: ml-builds
    namespace: acme
    team: ml
    provider: github
    account: ml-builder
    serviceAccount: true
    repositories: [acme/train, acme/serve]${extra}
`;
}

/** The personal link of ml-builder, declaring one more repository than its record lists. */
const DRIFT = `${HEAD}links:
  - name: ml-builder-own
    namespace: acme
    provider: github
    account: ml-builder
    serviceAccount: true
    repositories:
      - acme/train
      - acme/serve
`;

let sandbox: SandboxHandle;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  dir = mkdtempSync(join(tmpdir(), "sourcelinks-relink-"));
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await sandbox.reset();
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Whether the grant token alice's link in `namespace` holds is still valid on GitHub. */
function aliceGrantLive(namespace: string): boolean {
  const world = sandbox.world();
  const link = world.buildService.links.find((l) => l.namespace === namespace && l.account === "alice");
  const token = world.github.tokens.find((t) => t.token === link?.grantToken);
  if (!token) throw new Error(`no grant of alice's link in ${namespace}`);
  return !token.revoked;
}

/** The autobuild repositories the live link of `account` (in team `team`) lists. */
function recordRepositories(account: string, team: string | null): string[] {
  const link = sandbox
    .world()
    .buildService.links.find((l) => l.namespace === "acme" && l.account === account && l.team === team && l.state !== "unlinked");
  if (!link) throw new Error(`no live link of ${account}`);
  return [...link.repositories].sort();
}

describe("relinking a team to another account", () => {
  it("keeps the previous account's grant, says so in the plan, and the link in alice's own namespace keeps building", async () => {
    const config = write("relink.yaml", teamConfig());
    const plan = await runCli(["plan", config, "--format", "json"], env);
    expect(plan.code, plan.stderr).toBe(0);
    const resource = (JSON.parse(plan.stdout) as { resources: { steps: { kind: string }[]; kept: { kind: string; reason?: string }[] }[] })
      .resources[0]!;
    expect(resource.steps.map((s) => s.kind)).toEqual(["link", "add-repository", "add-repository", "unlink"]);
    expect(resource.kept).toEqual([expect.objectContaining({ kind: "grant", account: "alice", keptFor: [], reason: "relink" })]);

    const apply = await runCli(["apply", config, "--yes", "--max-revoke-ratio", "1"], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain("keep github account alice's OAuth grant: a relink leaves the previous account's grant alone");
    expect(apply.stdout).not.toContain("revoke github account alice");
    expect(aliceGrantLive("alice")).toBe(true);
    expect(sandbox.world().buildService.links.find((l) => l.namespace === "acme" && l.account === "alice")?.state).toBe("unlinked");

    const again = await runCli(["plan", config, "--detailed-exitcode"], env);
    expect(again.code, again.stdout).toBe(0);
    const check = await runCli(["check", config, "--live"], env);
    expect(check.code, check.stdout).toBe(0);
  });

  it("sets every declared repository on the new link, so the next plan has nothing to do", async () => {
    const config = write("relink-repos.yaml", teamConfig());
    const apply = await runCli(["apply", config, "--yes", "--max-revoke-ratio", "1"], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain("make acme/train an autobuild source of link (the new link) in namespace acme");
    expect(recordRepositories("ml-builder", "ml")).toEqual(["acme/serve", "acme/train"]);
  });

  it("revokes the previous account's grant when the link sets onRelink.revokePreviousGrant", async () => {
    const config = write("relink-revoke.yaml", teamConfig("\n    onRelink: { revokePreviousGrant: true }"));
    const plan = await runCli(["plan", config], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("revoke github account alice's OAuth grant");
    const apply = await runCli(["apply", config, "--yes", "--max-revoke-ratio", "1"], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(aliceGrantLive("alice")).toBe(false);
  });
});

describe("a live link whose record lists fewer repositories than declared", () => {
  it("is a check --live finding at the repository's line, and the step the plan shows repairs it", async () => {
    const config = write("drift.yaml", DRIFT);
    const check = await runCli(["check", config, "--live"], env);
    expect(check.code, check.stdout).toBe(3);
    const line = DRIFT.split("\n").findIndex((l) => l.includes("- acme/serve")) + 1;
    expect(check.stdout).toContain(`${config}:${line}:9`);
    expect(check.stdout).toContain("[live-link-builds-declared-repositories]");
    expect(check.stdout).toContain("does not list acme/serve as an autobuild source");

    const plan = await runCli(["plan", config, "--format", "json"], env);
    const steps = (JSON.parse(plan.stdout) as { resources: { steps: { kind: string; repository?: string }[] }[] }).resources[0]!.steps;
    expect(steps.map((s) => [s.kind, s.repository])).toEqual([["add-repository", "acme/serve"]]);

    const apply = await runCli(["apply", config, "--yes"], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(recordRepositories("ml-builder", null)).toEqual(["acme/serve", "acme/train"]);
    const after = await runCli(["check", config, "--live"], env);
    expect(after.code, after.stdout).toBe(0);
  });
});
