import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { acmeConfig, acmeSeed, CLIENT_ID } from "../support/acme-world.js";
import { ensureBuilt, runCli } from "../support/cli-harness.js";
import { startHostileProxy } from "../support/hostile-proxy.js";

/** No link yet; an org that restricts OAuth apps and has not approved the build service's. */
const SEED = acmeSeed({
  users: [{ login: "new-builder", name: "New Build Bot" }],
  orgs: [{ login: "neworg", owners: ["owner"], members: ["new-builder"], restrictions: true }],
  repos: [{ name: "neworg/app" }],
});

const CONFIG = acmeConfig(
  `links:
  - { name: new-builds, namespace: acme, provider: github, account: new-builder, serviceAccount: true, repositories: [neworg/app] }
orgAccess:
  - { org: neworg, access: granted }
`,
  { clientSecret: false },
);

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

  it("apply lists the namespace's link records once: the guard and the org access step use what the observation read", async () => {
    const fresh = await startSandbox({ seed: SEED });
    const proxy = await startHostileProxy(fresh.baseUrl, () => undefined);
    try {
      const apply = await runCli(["apply", file, "--yes"], { ...fresh.env, ...proxy.env, SOURCELINKS_ETAG_CACHE: "off" });
      expect(apply.code, apply.stdout + apply.stderr).toBe(0);
      const org = fresh.world().github.orgs.find((o) => o.login === "neworg");
      expect(org?.oauthAppAccess[CLIENT_ID]).toBe("granted");
      const listings = proxy.requests().filter((r) => /^GET \/build\/api\/build\/v1\/acme\/links\/(\?|$)/.test(r));
      expect(listings).toHaveLength(1);
    } finally {
      await proxy.close();
      await fresh.close();
    }
  });
});
