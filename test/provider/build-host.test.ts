/**
 * `ReplacementBuild` through Pulumi's own engine protocol: the real dynamic-provider host, driven over
 * gRPC in the engine's order (Configure → Check → Create → Diff → Update → Read → Delete) against the
 * sandbox's demo world. Create proposes through the engine's planner and executor, a second up never
 * opens a second pull request, a refresh after the merge verifies the pushed tags, destroy releases.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import type * as BuildProvider from "../../provider/build-provider.js";
import type { ReplacementBuildInputs } from "../../provider/build-properties.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { BUILD_TIMEOUT_MS, demoConfig, ensureBuilt, packageVersion, requireDist, serializeProvider } from "../support/provider-dist.js";
import { FakeEngine, makeUrn, type PropertyMap, ProviderHost, providerKey } from "../support/engine-harness.js";

const BUILD_TYPE = "pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild";
const VALUES = { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: "hub-registry-value-7f3a", NPM_TOKEN: "npm-value-91c2" };

let sandbox: SandboxHandle;
let config: SourcelinksConfig;
let serialized: string;
let host: ProviderHost;

function apiBuild(): BuildSpec {
  const build = config.builds?.find((b) => b.image === "acme/legacy-api");
  if (build === undefined) throw new Error("the demo config declares no acme/legacy-api build");
  return build;
}

/** The inputs `new ReplacementBuild(…)` registers for acme/legacy-api, with `__provider`. */
function buildInputs(change: Partial<BuildSpec> = {}): PropertyMap {
  const build = { ...apiBuild(), ...change };
  const inputs: ReplacementBuildInputs = {
    ...build,
    fileBuilds: [build],
    buildService: config.buildService,
    providers: config.providers,
    providerVersion: packageVersion(),
  };
  return JSON.parse(JSON.stringify({ ...inputs, [providerKey]: serialized })) as PropertyMap;
}

async function github(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${sandbox.env.SOURCELINKS_GITHUB_API_URL}${path}`, {
    method,
    headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

async function pullsOfLegacyApi(): Promise<{ number: number; state: string }[]> {
  return (await github("GET", "/repos/acme/legacy-api/pulls?state=all")).json as { number: number; state: string }[];
}

beforeAll(async () => {
  await ensureBuilt();
  config = await demoConfig(true);
  config.providers = {
    ...config.providers,
    dockerHub: { apiUrl: "https://hub.docker.com", usernameEnv: "DOCKER_HUB_USERNAME", tokenEnv: "DOCKER_HUB_READ_TOKEN" },
  };
  serialized = await serializeProvider(requireDist<typeof BuildProvider>("provider/build-provider.js").buildProvider);
  sandbox = await startSandbox({});
  // The GitHub token comes from stack config (Configure); the rest, the CI secrets' values too, from the environment.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", ...VALUES };
  for (const [key, value] of Object.entries(sandbox.env)) if (key !== "GITHUB_TOKEN") env[key] = value;
  host = await ProviderHost.start({ env });
  await host.configure({ "sourcelinks:githubToken": sandbox.env.GITHUB_TOKEN });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await host?.close();
  await sandbox?.close();
});

describe("ReplacementBuild through the dynamic-provider host", () => {
  it("check refuses a repository that is not owner/name and a missing provider section, with property paths", async () => {
    const checked = await host.check(makeUrn(BUILD_TYPE, "bad"), {}, { ...buildInputs({ repository: "legacy-api" }), providers: {} });
    expect(checked.failures.map((f) => f.property)).toEqual(["repository", "providers.github"]);
  });

  it("create opens the pull request and sets the secrets, up again opens no second one, the merge's run verifies on refresh, destroy releases", async () => {
    const e = new FakeEngine(host);
    const urn = makeUrn(BUILD_TYPE, "acme/legacy-api");
    const created = await e.up(urn, buildInputs());
    expect(created.entry.id).toBe("github/acme/legacy-api/acme/legacy-api");
    expect(created.entry.outputs).toMatchObject({ state: "proposed", pullRequest: { state: "open" }, lastRun: null });
    const pulls = await pullsOfLegacyApi();
    expect(pulls.filter((p) => p.state === "open")).toHaveLength(1);
    const secrets = (await github("GET", "/repos/acme/legacy-api/actions/secrets")).json as { secrets: { name: string }[] };
    expect(secrets.secrets.map((s) => s.name).sort()).toEqual(["DOCKERHUB_TOKEN", "DOCKERHUB_USERNAME", "NPM_TOKEN"]);
    const stored = JSON.stringify(e.state.get(urn));
    for (const secret of [...Object.values(VALUES), sandbox.env.GITHUB_TOKEN, sandbox.env.DOCKER_HUB_READ_TOKEN])
      expect(stored).not.toContain(secret);

    // Unchanged: nothing to do. Changed: the same branch and pull request are updated.
    expect((await e.up(urn, buildInputs())).op).toBe("same");
    const updated = await e.up(urn, buildInputs({ env: { BUILD_FLAVOR: "full" } }));
    expect(updated.op).toBe("update");
    expect(updated.entry.outputs).toMatchObject({ state: "proposed" });
    expect(await pullsOfLegacyApi()).toHaveLength(pulls.length);

    const number = (updated.entry.outputs as { pullRequest: { number: number } }).pullRequest.number;
    expect((await github("PUT", `/repos/acme/legacy-api/pulls/${number}/merge`, {})).status).toBe(200);
    const refreshed = await e.refresh(urn);
    expect(refreshed.outputs).toMatchObject({
      state: "verified",
      reason: null,
      lastRun: { status: "completed", conclusion: "success" },
      verifiedTags: [{ name: "latest", fresh: true }],
    });

    const before = JSON.stringify(await pullsOfLegacyApi());
    await e.destroy(urn);
    expect(JSON.stringify(await pullsOfLegacyApi())).toBe(before);
  });
});
