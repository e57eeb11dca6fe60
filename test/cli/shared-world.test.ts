/**
 * Revocation in a shared, real world, end to end: the CLI (in process, through the same
 * entry point as the bin, so each run takes milliseconds rather than a node start) against the multi-namespace
 * sandbox world of test/fixtures/worlds/shared.yaml (one operator token over namespaces acme and beta,
 * GitHub account shared-bot linked from both, a revoked link whose record lists a repository the YAML
 * omits, a person's account on a team link and on an undeclared personal link in the other namespace).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { ROOT, runCli } from "../support/cli-harness.js";

const SEED = join(ROOT, "test/fixtures/worlds/shared.yaml");
const CONFIG = join(ROOT, "test/fixtures/worlds/shared.sourcelinks.yaml");
const BUILD_HOOK = "https://cloud.docker.com/api/build/v1/vcs/";

const formats = addFormats as unknown as (ajv: object) => void;
const ajv = new Ajv({ allErrors: true });
formats(ajv);
const validatePlan = ajv.compile(JSON.parse(readFileSync(join(ROOT, "schema/plan.schema.json"), "utf8")) as object);

let sandbox: SandboxHandle;
let tmp: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-shared-"));
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

/** The sandbox's environment, with no ETag cache shared between runs. */
function env(): Record<string, string> {
  return { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
}

/** The shared config with only the named links (and `edit` applied to the text), written to a temp file. */
function configWith(file: string, names: readonly string[] | null, edit: (text: string) => string = (t) => t): string {
  const doc = parseDocument(readFileSync(CONFIG, "utf8"));
  if (names !== null) {
    const links = doc.get("links") as { items: { get(key: string): unknown }[] };
    links.items = links.items.filter((item) => names.includes(String(item.get("name"))));
  }
  const path = join(tmp, file);
  writeFileSync(path, edit(doc.toString()));
  return path;
}

/** Whether the grant token a namespace's link of `account` holds is still valid on GitHub. */
function grantLive(namespace: string, account: string, team: string | null = null): boolean {
  const world = sandbox.world();
  const link = world.buildService.links.find(
    (l) => l.namespace === namespace && l.account === account && l.team === team && l.state !== "unlinked",
  );
  const token = world.github.tokens.find((t) => t.token === link?.grantToken);
  if (!token) throw new Error(`no live link of ${account} in ${namespace}`);
  return !token.revoked;
}

/** The build service's webhook URLs and deploy key titles on a repository. */
function artifacts(fullName: string): { hooks: string[]; keys: string[] } {
  const [owner, name] = fullName.split("/");
  const repo = sandbox.world().github.repos.find((r) => r.owner === owner && r.name === name);
  if (!repo) throw new Error(`no repository ${fullName}`);
  return { hooks: repo.hooks.map((h) => h.config.url).filter((u) => u.startsWith(BUILD_HOOK)), keys: repo.keys.map((k) => k.title) };
}

interface PlanJsonResource {
  name: string;
  steps: { kind: string; repository?: string; account?: string }[];
  kept: { kind: string; repository?: string; account?: string; keptFor: string[] }[];
}

async function planJson(config: string): Promise<PlanJsonResource[]> {
  const run = await runCli(["plan", config, "--format", "json"], env());
  expect(run.code, run.stderr).toBe(0);
  const plan = JSON.parse(run.stdout) as { resources: PlanJsonResource[] };
  expect(validatePlan(plan), JSON.stringify(validatePlan.errors)).toBe(true);
  return plan.resources;
}

function resource(resources: PlanJsonResource[], name: string): PlanJsonResource {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource ${name} in the plan`);
  return found;
}

describe("a grant is per (account, OAuth app), not per link", () => {
  it("revoking beta's link of shared-bot keeps the grant acme's declared live link uses, and says which link keeps it", async () => {
    const beta = resource(await planJson(CONFIG), "beta-shared");
    expect(beta.steps.filter((s) => s.kind === "revoke-grant")).toEqual([]);
    expect(beta.kept.filter((k) => k.kind === "grant")).toEqual([
      expect.objectContaining({ account: "shared-bot", keptFor: ['"acme-shared" (namespace acme)'] }),
    ]);

    const apply = await runCli(["apply", CONFIG, "--yes"], env());
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain(
      `keep github account shared-bot's OAuth grant (one grant covers every link of the account): still used by "acme-shared" (namespace acme)`,
    );
    expect(grantLive("acme", "shared-bot")).toBe(true);
  });

  it("keeps it too when acme's link is declared in no file, only observed live in namespace acme", async () => {
    const config = configWith("beta-only.yaml", ["beta-shared"], (t) => t.replace("namespace: beta", "namespace: beta"));
    const apply = await runCli(["apply", config, "--yes", "--max-revoke-ratio", "1"], env());
    expect(apply.code, apply.stderr).toBe(0);
    const acmeLink = sandbox.world().buildService.links.find((l) => l.namespace === "acme" && l.account === "shared-bot")!;
    expect(apply.stdout).toContain(`still used by link ${acmeLink.id} in namespace acme (github account shared-bot)`);
    expect(grantLive("acme", "shared-bot")).toBe(true);
  });

  it("moving team ci off jdoe keeps jdoe's grant, which jdoe's undeclared personal link in beta uses", async () => {
    const config = configWith("ci-only.yaml", ["acme-ci"]);
    const ci = resource(await planJson(config), "acme-ci");
    expect(ci.steps.map((s) => s.kind)).toEqual(["link", "add-repository", "unlink"]);
    const personal = sandbox.world().buildService.links.find((l) => l.namespace === "beta" && l.account === "jdoe")!;
    expect(ci.kept).toEqual([
      expect.objectContaining({ kind: "grant", account: "jdoe", keptFor: [`link ${personal.id} in namespace beta (github account jdoe)`] }),
    ]);

    const apply = await runCli(["apply", config, "--yes"], env());
    expect(apply.code, apply.stderr).toBe(0);
    expect(grantLive("beta", "jdoe")).toBe(true);
  });
});

describe("a webhook or deploy key is not one link's when another live link covers the repository", () => {
  it("revoking beta's link keeps the build service's webhook and deploy key on acme/api, which acme's live link builds from", async () => {
    const before = artifacts("acme/api");
    const beta = resource(await planJson(CONFIG), "beta-shared");
    expect(beta.steps.some((s) => s.repository === "acme/api")).toBe(false);
    expect(beta.kept.filter((k) => k.repository === "acme/api").map((k) => [k.kind, k.keptFor])).toEqual([
      ["webhook", ['"acme-shared" (namespace acme)']],
      ["deploy-key", ['"acme-shared" (namespace acme)']],
    ]);

    const apply = await runCli(["apply", CONFIG, "--yes"], env());
    expect(apply.code, apply.stderr).toBe(0);
    expect(artifacts("acme/api")).toEqual(before);
    // And check --live does not ask for what no apply will (and none should) delete.
    const check = await runCli(["check", CONFIG, "--live", "--format", "json"], env());
    expect(check.stdout).not.toContain("acme/api");
  });

  it("keeps them too when acme's covering link is only observed (its build-service record lists acme/api)", async () => {
    const config = configWith("beta-only-cover.yaml", ["beta-shared"]);
    const before = artifacts("acme/api");
    const apply = await runCli(["apply", config, "--yes", "--max-revoke-ratio", "1"], env());
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(
      /keep webhook \d+ on acme\/api .*: still used by link \S+ in namespace acme \(github account shared-bot\), building from acme\/api/,
    );
    expect(artifacts("acme/api")).toEqual(before);
  });
});

describe("leftovers on repositories the YAML does not list", () => {
  it("revocation covers every repository the link's build-service record lists, the plan shows each, and check --live sees them", async () => {
    const check = await runCli(["check", CONFIG, "--live"], env());
    expect(check.code).toBe(3);
    expect(check.stdout).toMatch(
      /revoked-link-has-no-webhooks\] link "beta-shared" is revoked but the build service's webhook \d+ \(\S+\) is still on beta\/old-tool/,
    );

    const beta = resource(await planJson(CONFIG), "beta-shared");
    expect(beta.steps.filter((s) => s.repository === "beta/old-tool").map((s) => s.kind)).toEqual(["delete-webhook", "delete-deploy-key"]);

    const apply = await runCli(["apply", CONFIG, "--yes"], env());
    expect(apply.code, apply.stderr).toBe(0);
    expect(artifacts("beta/old-tool")).toEqual({ hooks: [], keys: [] });
    expect(artifacts("beta/app")).toEqual({ hooks: [], keys: [] });
    // The foreign webhook next to it survives.
    expect(
      sandbox
        .world()
        .github.repos.find((r) => r.owner === "beta" && r.name === "old-tool")!
        .hooks.map((h) => h.config.url),
    ).toEqual(["https://ci.acme.example/hooks/github"]);

    const after = await runCli(["check", CONFIG, "--live"], env());
    expect(after.code, after.stdout).toBe(0);
    expect((await runCli(["plan", CONFIG, "--detailed-exitcode"], env())).code).toBe(0);
  });
});

describe("broken links are noticed", () => {
  it("a live link whose grant its user revoked is a mandatory live-link-has-grant violation, and its fix (apply) works", async () => {
    const config = configWith("acme-shared-only.yaml", ["acme-shared"]);
    expect((await runCli(["check", config, "--live"], env())).code).toBe(0);

    // shared-bot revokes the app in GitHub's settings (a person in a web UI).
    const act = await fetch(`${sandbox.baseUrl}/_sandbox/act`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ as: "user", login: "shared-bot", action: "revoke-authorization", app: "Iv1.7c3e9a1f5b2d4e60" }),
    });
    expect(act.status).toBe(200);

    const broken = await runCli(["check", config, "--live"], env());
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain(
      `error [live-link-has-grant] link "acme-shared" is linked in namespace acme, but the github OAuth grant of "shared-bot" to the build service's app is revoked, so it cannot build: ` +
        `run sourcelinks apply (or pulumi up) to relink it: it unlinks the broken link and links "shared-bot" again, so the build service holds a new grant`,
    );

    const apply = await runCli(["apply", config, "--yes"], env());
    expect(apply.code, apply.stderr).toBe(0);
    expect(grantLive("acme", "shared-bot")).toBe(true);
    expect((await runCli(["check", config, "--live"], env())).code).toBe(0);
  });
});

describe("the mass-revocation guard counts every kind", () => {
  it("refuses a docker-hub run that would revoke 4 of 4 links, deleting nothing", async () => {
    const repos = ["acme/web", "beta/app", "beta/old-tool", "beta/jdoe-tool"];
    const config = join(tmp, "docker-hub.yaml");
    writeFileSync(
      config,
      [
        "apiVersion: sourcelinks/v1",
        "buildService:",
        "  kind: docker-hub",
        '  webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"]',
        "  oauthApps:",
        "    github: { clientId: Iv1.7c3e9a1f5b2d4e60, name: Docker Hub Builder }",
        "providers:",
        "  github: { apiUrl: https://api.github.com, tokenEnv: GITHUB_TOKEN }",
        "links:",
        ...repos.map(
          (r, i) =>
            `  - { name: old-${i}, namespace: acme, team: t${i}, provider: github, account: shared-bot, serviceAccount: true, state: revoked, repositories: [${r}] }`,
        ),
        "",
      ].join("\n"),
    );
    const before = repos.map(artifacts);
    const refused = await runCli(["apply", config, "--yes"], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "sourcelinks apply: refusing to revoke 4 of 4 live links (100% > 25%): old-0 (acme), old-1 (acme), old-2 (acme), old-3 (acme)",
    );
    expect(repos.map(artifacts)).toEqual(before);

    const allowed = await runCli(["apply", config, "--yes", "--max-revoke-ratio", "1"], env());
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(repos.map(artifacts).map((a) => a.hooks)).toEqual([[], [], [], []]);
  });
});

describe("advice that is true", () => {
  it("webhook-hygiene's fixes, done through GitHub's API, clear the findings", async () => {
    const config = configWith("ci-hygiene.yaml", ["acme-ci"]);
    const before = await runCli(["check", config, "--live", "--format", "json"], env());
    const hygiene = (run: { stdout: string }): { subject: string; fix: string }[] =>
      (JSON.parse(run.stdout) as { violations: { ruleId: string; subject: string; fix: string }[] }).violations.filter(
        (v) => v.ruleId === "webhook-hygiene",
      );
    expect(hygiene(before).map((v) => v.fix)).toEqual([
      "set a secret on the webhook in acme/web's webhook settings (GitHub: Settings → Webhooks → Edit → Secret; Bitbucket: Repository settings → Webhooks → Edit → Secret), so deliveries are signed",
      "turn SSL verification back on for the webhook in acme/web's webhook settings (GitHub: Settings → Webhooks → Edit → Enable SSL verification; Bitbucket: Repository settings → Webhooks → Edit → uncheck Skip certificate verification)",
    ]);

    // Do what the fixes say, as the webhook settings page does (PATCH /repos/{owner}/{repo}/hooks/{id}).
    const e = env();
    const hook = sandbox.world().github.repos.find((r) => r.owner === "acme" && r.name === "web")!.hooks[0]!;
    const patched = await fetch(`${e.SOURCELINKS_GITHUB_API_URL}/repos/acme/web/hooks/${hook.id}`, {
      method: "PATCH",
      headers: { authorization: `token ${e.GITHUB_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ config: { url: hook.config.url, secret: "a-new-webhook-secret", insecure_ssl: "0" } }),
    });
    expect(patched.status).toBe(200);
    expect(hygiene(await runCli(["check", config, "--live", "--format", "json"], env()))).toEqual([]);
  });
});
