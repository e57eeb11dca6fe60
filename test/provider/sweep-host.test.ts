/**
 * `OrphanSweep` through Pulumi's own engine protocol: the real dynamic-provider host, driven over gRPC
 * in the engine's order (Configure → Check → Create → Diff → Read → Delete) against the sandbox's sweep
 * world (test/fixtures/worlds/sweep.yaml), asserting the world and the outputs after every step.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LinkSpec, SourcelinksConfig, SweepSpec } from "../../engine/model/spec.js";
import type * as ConfigLoad from "../../engine/config/load.js";
import type * as SweepProvider from "../../provider/sweep-provider.js";
import type { OrphanSweepInputs } from "../../provider/sweep-properties.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { BUILD_TIMEOUT_MS, ensureBuilt, packageVersion, requireDist, serializeProvider } from "../support/provider-dist.js";
import { FakeEngine, makeUrn, type PropertyMap, ProviderHost, projectRoot, providerKey, revealSecrets } from "../support/engine-harness.js";
import { expectNoSecretIn } from "../support/no-secret.js";

const SWEEP_TYPE = "pulumi-nodejs:dynamic/sourcelinks:OrphanSweep";
const VCS = "https://cloud.docker.com/api/build/v1/vcs/22222222-aaaa-4bbb-8ccc-";

let sandbox: SandboxHandle;
let config: SourcelinksConfig;
let serialized: string;
let host: ProviderHost;

/** The inputs `new OrphanSweep(…)` registers for the config's sweep `name`, with `__provider`. */
function sweepInputs(name: string, change: Partial<OrphanSweepInputs> = {}): PropertyMap {
  const spec = config.sweeps?.find((s) => s.name === name) as SweepSpec;
  const inputs: OrphanSweepInputs = {
    ...spec,
    links: config.links,
    buildService: config.buildService,
    providers: config.providers,
    providerVersion: packageVersion(),
    ...change,
  };
  return JSON.parse(JSON.stringify({ ...inputs, [providerKey]: serialized })) as PropertyMap;
}

function hooksOf(repository: string): string[] {
  const [owner, name] = repository.split("/");
  return (
    sandbox
      .world()
      .github.repos.find((r) => r.owner === owner && r.name === name)
      ?.hooks.map((h) => h.config.url) ?? []
  );
}

function worldSecrets(): string[] {
  const world = sandbox.world();
  return [
    ...world.github.tokens.map((t) => t.token),
    ...world.bitbucket.users.map((u) => u.apiToken),
    ...world.buildService.tokens.map((t) => t.token),
  ];
}

beforeAll(async () => {
  await ensureBuilt();
  const { loadConfigFiles } = requireDist<typeof ConfigLoad>("engine/config/load.js");
  config = (await loadConfigFiles([join(projectRoot, "test/fixtures/worlds/sweep.sourcelinks.yaml")])).config;
  serialized = await serializeProvider(requireDist<typeof SweepProvider>("provider/sweep-provider.js").sweepProvider);
  sandbox = await startSandbox({ seed: join(projectRoot, "test/fixtures/worlds/sweep.yaml") });
  // The GitHub token comes from stack config (Configure); the rest from the environment the config names.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "" };
  for (const [key, value] of Object.entries(sandbox.env)) if (key !== "GITHUB_TOKEN") env[key] = value;
  host = await ProviderHost.start({ env });
  await host.configure({ "sourcelinks:githubToken": sandbox.env.GITHUB_TOKEN });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await host?.close();
  await sandbox?.close();
});

// Steps of one lifecycle, each on the state the one before left: run in order even when shuffled.
describe("OrphanSweep through the dynamic-provider host", { shuffle: false }, () => {
  const engine = (): FakeEngine => new FakeEngine(host);

  it("check refuses a bad exclude and a missing provider section, with property paths", async () => {
    const checked = await host.check(makeUrn(SWEEP_TYPE, "bad"), {}, sweepInputs("sweep-github-acme", { exclude: [""], providers: {} }));
    expect(checked.failures.map((f) => f.property)).toEqual(["exclude[0]", "providers.github"]);
  });

  it("create deletes what no live link covers and lists it in removed; the archived repository's is found, not removed; up again and refresh change nothing", async () => {
    const e = engine();
    const urn = makeUrn(SWEEP_TYPE, "sweep-github-acme");
    const created = await e.up(urn, sweepInputs("sweep-github-acme"));
    expect(created.entry.id).toBe("github/acme");
    const outputs = revealSecrets(created.entry.outputs) as {
      removed: { repository: string | null; target: string; classification: string }[];
      found: { repository: string | null }[];
      pendingManualSteps: { id: string }[];
    };
    expect(outputs.removed.map((a) => [a.repository, a.target, a.classification])).toEqual([
      ["acme/tool", `${VCS}000000000003/trigger/call/`, "leftover"],
      ["acme/forgotten", `${VCS}000000000004/trigger/call/`, "orphaned"],
      ["acme/forgotten", "Docker Hub Builder (acme/forgotten)", "orphaned"],
      [null, `${VCS}0000000000f0/trigger/call/`, "orphaned"],
    ]);
    // Left: the archived repository's orphan (a manual step) and the revoked link's own leftover (its revocation's).
    expect(outputs.found.map((a) => a.repository)).toEqual(["acme/frozen"]);
    expect(outputs.pendingManualSteps.map((m) => m.id)).toEqual(["unarchive:github:acme:frozen"]);
    expect(hooksOf("acme/forgotten")).toHaveLength(2);
    expect(hooksOf("acme/frozen")).toHaveLength(1);
    expect(hooksOf("acme/api")).toEqual([`${VCS}000000000001/trigger/call/`]);
    expect(hooksOf("acme/sandbox-x")).toHaveLength(1);
    expect(
      sandbox
        .world()
        .github.orgs.find((o) => o.login === "acme")
        ?.hooks?.map((h) => h.config.url),
    ).toEqual(["https://chat.acme.example/hooks/github"]);
    const text = JSON.stringify(created.entry.outputs);
    expectNoSecretIn(text, worldSecrets());

    const again = await e.up(urn, sweepInputs("sweep-github-acme"));
    expect(again.op).toBe("same");
    const refreshed = await e.refresh(urn);
    expect((refreshed.outputs as { found: unknown[] }).found).toHaveLength(1);
    expect((refreshed.outputs as { removed: unknown[] }).removed).toHaveLength(4);
  });

  it("a new orphan after a refresh is a change named in drift, and up removes it", async () => {
    const e = engine();
    const urn = makeUrn(SWEEP_TYPE, "operator-repos");
    await e.up(urn, sweepInputs("operator-repos"));
    expect(hooksOf("ops/dotfiles")).toEqual([]);
    sandbox
      .world()
      .github.repos.find((r) => r.name === "dotfiles")
      ?.hooks.push({
        id: 999_999,
        active: true,
        events: ["push"],
        config: { url: "https://registry.hub.docker.com/hooks/github", content_type: "json", secret: null, insecure_ssl: "0" },
        created_at: "2026-01-01T00:00:00Z",
        updated_at: "2026-01-01T00:00:00Z",
        last_response: { code: null, status: "unused", message: null },
      });
    const refreshed = await e.refresh(urn);
    // Named, in the outputs and in the inputs a preview diffs against the program's.
    expect(refreshed.outputs.drift).toEqual(["webhook 999999 on ops/dotfiles is orphaned"]);
    expect(refreshed.inputs.drift).toEqual(["webhook 999999 on ops/dotfiles is orphaned"]);
    const up = await e.up(urn, sweepInputs("operator-repos"));
    expect(up.op).toBe("update");
    expect(up.entry.outputs.drift).toEqual([]);
    expect((up.entry.outputs as { removed: { id: string }[] }).removed.map((a) => a.id)).toEqual(["999999"]);
    expect(hooksOf("ops/dotfiles")).toEqual([]);
  });

  it("an edit of a link that the sweep's classification does not read (name, aliases, onRevoke, onDelete, serviceAccount, disabled) is no change to the sweep; a new repository is", async () => {
    const e = engine();
    const urn = makeUrn(SWEEP_TYPE, "sweep-github-acme");
    await e.up(urn, sweepInputs("sweep-github-acme"));
    const prior = e.state.get(urn);
    if (prior === undefined) throw new Error("no sweep state");
    const diffWith = async (links: LinkSpec[]): Promise<string> => {
      const checked = await host.check(urn, prior.inputs, sweepInputs("sweep-github-acme", { links }));
      return (await host.diff(prior.id, urn, prior.outputs, checked.inputs, prior.inputs)).changes;
    };
    const [api, ...rest] = config.links as [LinkSpec, ...LinkSpec[]];
    const edited: LinkSpec = {
      ...api,
      name: "acme-api-builds",
      aliases: ["acme-api"],
      onRevoke: { webhooks: "keep", deployKeys: "keep" },
      onDelete: "revoke",
      serviceAccount: false,
      state: "disabled",
    };
    expect(await diffWith([...rest, edited])).toBe("none");
    expect(await diffWith([{ ...api, repositories: [...api.repositories, "acme/tool"] }, ...rest])).toBe("some");
  });

  it("destroy stops sweeping and changes nothing", async () => {
    const e = engine();
    const urn = makeUrn(SWEEP_TYPE, "sweep-bitbucket-acme-team");
    const before = JSON.stringify(sandbox.world().bitbucket.repos);
    await e.up(urn, sweepInputs("sweep-bitbucket-acme-team", { exclude: ["acme-team/*"] }));
    await e.destroy(urn);
    expect(JSON.stringify(sandbox.world().bitbucket.repos)).toBe(before);
  });
});
