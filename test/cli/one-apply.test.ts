import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { ensureBuilt, runCli } from "../support/cli-harness.js";

const CLIENT_ID = "Iv1.5a9d0c3e7b214f68";

/** No link yet; an org that restricts OAuth apps and has not approved the build service's. */
const SEED = `
operator: { github: owner, namespace: acme }
oauthApps:
  - { provider: github, clientId: ${CLIENT_ID}, name: Docker Hub Builder }
github:
  users:
    - { login: owner, name: Org Owner }
    - { login: new-builder, name: New Build Bot }
  orgs:
    - { login: neworg, owners: [owner], members: [new-builder], restrictions: true }
  repos:
    - name: neworg/app
buildService:
  namespaces:
    - name: acme
`;

const CONFIG = `apiVersion: sourcelinks/v1
buildService:
  kind: reference
  apiUrl: https://builds.example.com/api/build/v1
  tokenEnv: SOURCELINKS_BUILD_TOKEN
  webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"]
  oauthApps:
    github: { clientId: ${CLIENT_ID}, name: Docker Hub Builder }
providers:
  github: { tokenEnv: GITHUB_TOKEN }
links:
  - { name: new-builds, namespace: acme, provider: github, account: new-builder, serviceAccount: true, repositories: [neworg/app] }
orgAccess:
  - { org: neworg, access: granted }
`;

let sandbox: SandboxHandle;
let env: Record<string, string>;
let file: string;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({ seed: SEED });
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  file = join(mkdtempSync(join(tmpdir(), "sourcelinks-one-apply-")), "sourcelinks.yaml");
  writeFileSync(file, CONFIG);
}, 240_000);
afterAll(async () => {
  await sandbox.close();
});

describe("creating a link and setting an org's access in the same files", () => {
  it("one apply does both, through the link it creates; a second plan finds nothing", async () => {
    const plan = await runCli(["plan", file], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("set third-party access of org neworg to granted (through link new-builds, created first by this apply)");

    const apply = await runCli(["apply", file, "--yes"], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const org = sandbox.world().github.orgs.find((o) => o.login === "neworg");
    expect(org?.oauthAppAccess[CLIENT_ID]).toBe("granted");

    const again = await runCli(["plan", file, "--detailed-exitcode"], env);
    expect(again.code, again.stdout).toBe(0);
  });
});
