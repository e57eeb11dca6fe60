/**
 * The pack through the analyzer protocol, started as the engine starts it: a child process running
 * @pulumi/pulumi's `cmd/run-policy-pack <engine-address> <pack dir>` in the pack directory, which
 * requires the pack (`policies/package.json` main → dist/policies/index.js); constructing the
 * PolicyPack starts the gRPC server and prints its port on stdout. A gRPC client built from the stubs
 * @pulumi/pulumi ships then calls GetAnalyzerInfo, Configure, Analyze, AnalyzeStack and Remediate.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UNKNOWN_STRING } from "../../policies/resource-facts.js";
import { rules } from "../../policies/rules/index.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import { providerMethods } from "../../provider/build-methods.js";
import type { ReplacementBuildInputs } from "../../provider/build-properties.js";
import { startSandbox } from "../../sandbox/server.js";
import { loadDemoConfig } from "../support/demo-config.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const packDir = join(root, "policies");
const packMain = join(root, "dist/policies/index.js");

// The stubs and the gRPC runtime are loaded from @pulumi/pulumi's own dependency tree, so the
// message classes are the very ones the analyzer server deserializes.
const requireFromPulumi = createRequire(join(root, "node_modules/@pulumi/pulumi/package.json"));
const grpc = requireFromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const pb = requireFromPulumi("./proto/analyzer_pb.js") as typeof import("@pulumi/pulumi/proto/analyzer_pb.js");
const rpc = requireFromPulumi("./proto/analyzer_grpc_pb.js") as typeof import("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
const structPb = requireFromPulumi(
  "google-protobuf/google/protobuf/struct_pb.js",
) as typeof import("google-protobuf/google/protobuf/struct_pb.js");
const emptyPb = requireFromPulumi(
  "google-protobuf/google/protobuf/empty_pb.js",
) as typeof import("google-protobuf/google/protobuf/empty_pb.js");

type AnalyzerClient = InstanceType<typeof rpc.AnalyzerClient>;
type JsonObject = Record<string, unknown>;
type Pb = typeof import("@pulumi/pulumi/proto/analyzer_pb.js");
type StructFields = Record<string, import("google-protobuf/google/protobuf/struct_pb.js").JavaScriptValue>;

/** A protobuf Struct of plain JSON. */
function struct(obj: JsonObject) {
  return structPb.Struct.fromJavaScript(obj as StructFields);
}

const LINK = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const HOOK_URL = "https://cloud.docker.com/api/build/v1/vcs/0d5e2a1c-8f7b-4e3a-9c61-2b4d7e9f1a30/trigger/call/";
const PACK = "'sourcelinks@v0.1.0'";

/** Newest modification time under a folder of sources. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules") newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles the pack's import graph into dist/ (as `npm run build` would) when missing or stale. */
function ensureBuilt(): void {
  if (existsSync(packMain) && statSync(packMain).mtimeMs >= newestSource(packDir)) return;
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const args = [
    "--target",
    "ES2022",
    "--module",
    "NodeNext",
    "--moduleResolution",
    "NodeNext",
    "--strict",
    "--skipLibCheck",
    "--sourceMap",
    "--types",
    "node",
  ];
  const result = spawnSync(process.execPath, [tsc, ...args, "--rootDir", root, "--outDir", join(root, "dist"), join(packDir, "index.ts")], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`building the policy pack failed:\n${result.stdout}${result.stderr}`);
}

/** Starts the pack like the engine and resolves with the port it prints. */
function startPack(): Promise<{ child: ChildProcess; port: number }> {
  const runner = join(root, "node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js");
  // The engine address is the first argument; the pack itself never dials it.
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", packDir], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolvePort, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0]!;
      if (out.includes("\n") && /^\d+$/.test(line.trim())) resolvePort({ child, port: Number(line.trim()) });
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${err}`)));
  });
}

type Callback<Res> = (e: Error | null, r: Res) => void;

/** Promisifies one unary call of the client. */
function call<Req, Res>(method: (req: Req, cb: Callback<Res>) => unknown, client: AnalyzerClient, req: Req): Promise<Res> {
  return new Promise((ok, fail) => method.call(client, req, (e, r) => (e ? fail(e) : ok(r))));
}

type AnalyzeRequest = InstanceType<Pb["AnalyzeRequest"]>;
type AnalyzeResponse = InstanceType<Pb["AnalyzeResponse"]>;

/** The RPCs the tests use, typed (the generated client methods are overloaded). */
function rpcs(client: AnalyzerClient) {
  return {
    info: (req: InstanceType<typeof emptyPb.Empty>) =>
      call<typeof req, InstanceType<Pb["AnalyzerInfo"]>>(client.getAnalyzerInfo, client, req),
    configure: (req: InstanceType<Pb["ConfigureAnalyzerRequest"]>) => call<typeof req, unknown>(client.configure, client, req),
    analyze: (req: AnalyzeRequest) => call<AnalyzeRequest, AnalyzeResponse>(client.analyze, client, req),
    analyzeStack: (req: InstanceType<Pb["AnalyzeStackRequest"]>) => call<typeof req, AnalyzeResponse>(client.analyzeStack, client, req),
    remediate: (req: AnalyzeRequest) => call<AnalyzeRequest, InstanceType<Pb["RemediateResponse"]>>(client.remediate, client, req),
  };
}

/** The options the engine always sends with a resource. */
function options() {
  return new pb.AnalyzerResourceOptions().setProtect(false);
}

/** An AnalyzeRequest as the engine builds it. */
function analyzeRequest(type: string, name: string, props: JsonObject) {
  return new pb.AnalyzeRequest()
    .setType(type)
    .setName(name)
    .setUrn(`urn:pulumi:dev::links::${type}::${name}`)
    .setProperties(struct(props))
    .setOptions(options());
}

/** A stack resource as the engine sends it to AnalyzeStack. */
function stackResource(type: string, name: string, props: JsonObject, provider?: { type: string; name: string; props: JsonObject }) {
  const r = new pb.AnalyzerResource()
    .setType(type)
    .setName(name)
    .setUrn(`urn:pulumi:dev::links::${type}::${name}`)
    .setProperties(struct(props))
    .setOptions(options());
  if (provider) {
    r.setProvider(
      new pb.AnalyzerProviderResource()
        .setType(provider.type)
        .setName(provider.name)
        .setUrn(`urn:pulumi:dev::links::${provider.type}::${provider.name}`)
        .setProperties(struct(provider.props)),
    );
  }
  return r;
}

/** The inputs of a link resource (policies/resource-facts.ts). */
function linkInputs(overrides: JsonObject = {}): JsonObject {
  return {
    name: "legacy-builds",
    namespace: "acme",
    provider: "github",
    account: "legacy-builder",
    serviceAccount: true,
    state: "revoked",
    repositories: ["acme/legacy-api", "acme/legacy-web"],
    onRevoke: { webhooks: "delete", deployKeys: "delete" },
    buildService: {
      kind: "reference",
      apiUrl: "http://127.0.0.1:1/build/api/build/v1",
      webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"],
      deployKeyTitlePatterns: ["Docker Hub Builder*"],
      oauthApps: { github: { clientId: "Iv1.5a9d0c3e7b214f68", name: "Docker Hub Builder" } },
    },
    providerVersion: "0.1.0",
    ...overrides,
  };
}

/** The observed state of the revoked link with everything cleaned up. */
function cleanObserved(): JsonObject {
  return {
    name: "legacy-builds",
    provider: "github",
    namespace: "acme",
    linkId: "lnk-2",
    state: "revoked",
    account: "legacy-builder",
    team: null,
    serviceAccount: true,
    repositories: [
      { repository: "acme/legacy-api", exists: true, webhooks: [], deployKeys: [], foreignWebhookCount: 1 },
      { repository: "acme/legacy-web", exists: true, webhooks: [], deployKeys: [], foreignWebhookCount: 1 },
    ],
    providerGrant: "revoked",
    pendingManualSteps: [],
  };
}

/** Sets the pack's whole configuration, as `--policy-pack-config` does. */
async function configure(client: AnalyzerClient, levels: Record<string, number>, properties: Record<string, JsonObject> = {}) {
  const req = new pb.ConfigureAnalyzerRequest();
  for (const [policy, level] of Object.entries(levels)) {
    req
      .getPolicyconfigMap()
      .set(
        policy,
        new pb.PolicyConfig()
          .setEnforcementlevel(level as Pb["EnforcementLevel"][keyof Pb["EnforcementLevel"]])
          .setProperties(struct(properties[policy] ?? {})),
      );
  }
  await rpcs(client).configure(req);
}

/** Diagnostics as [policy, level name, message]. */
function diagnostics(res: AnalyzeResponse): [string, string, string][] {
  const names = ["advisory", "mandatory", "disabled", "remediate"];
  return res.getDiagnosticsList().map((d) => [d.getPolicyname(), names[d.getEnforcementlevel()]!, d.getMessage()]);
}

describe("the policy pack over the analyzer protocol", () => {
  let child: ChildProcess;
  let client: AnalyzerClient;

  beforeAll(async () => {
    ensureBuilt();
    const started = await startPack();
    child = started.child;
    client = new rpc.AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client?.close();
    child?.removeAllListeners("exit");
    child?.kill();
  });

  beforeEach(async () => {
    await configure(client, {});
  });

  it("describes its policies and default enforcement levels", async () => {
    const info = await rpcs(client).info(new emptyPb.Empty());
    expect(info.getName()).toBe("sourcelinks");
    const policies = new Map(info.getPoliciesList().map((p) => [p.getName(), [p.getPolicyType(), p.getEnforcementlevel()]]));
    expect(policies.get("revoked-link-has-no-webhooks")).toEqual([pb.PolicyType.POLICY_TYPE_RESOURCE, pb.EnforcementLevel.MANDATORY]);
    expect(policies.get("revoked-link-has-no-webhooks-stack")).toEqual([pb.PolicyType.POLICY_TYPE_STACK, pb.EnforcementLevel.MANDATORY]);
    expect(policies.get("webhook-hygiene")).toEqual([pb.PolicyType.POLICY_TYPE_RESOURCE, pb.EnforcementLevel.ADVISORY]);
    expect(policies.get("linked-repos-have-org-access")).toEqual([pb.PolicyType.POLICY_TYPE_STACK, pb.EnforcementLevel.MANDATORY]);
  });

  it("Analyze: a resource policy reports a team link through a person, mandatory", async () => {
    const props = linkInputs({
      name: "acme-builds",
      team: "ci",
      account: "jdoe",
      serviceAccount: false,
      state: "linked",
      repositories: ["acme/api"],
    });
    const res = await rpcs(client).analyze(analyzeRequest(LINK, "acme-builds", props));
    expect(diagnostics(res)).toEqual([
      [
        "team-link-uses-service-account",
        "mandatory",
        `${rules["team-link-uses-service-account"].description}\nlink "acme-builds" links team "ci" through account "jdoe", which is not declared a service account: link the team through a service account and set serviceAccount: true (a person's account leaves with the person)`,
      ],
    ]);
  });

  it("Configure: an enforcement override changes what comes back", async () => {
    const props = linkInputs({
      name: "acme-builds",
      team: "ci",
      account: "jdoe",
      serviceAccount: false,
      state: "linked",
      repositories: ["acme/api"],
    });
    await configure(client, { "team-link-uses-service-account": pb.EnforcementLevel.ADVISORY });
    expect(diagnostics(await rpcs(client).analyze(analyzeRequest(LINK, "acme-builds", props))).map((d) => d.slice(0, 2))).toEqual([
      ["team-link-uses-service-account", "advisory"],
    ]);
    await configure(client, { "team-link-uses-service-account": pb.EnforcementLevel.DISABLED });
    expect(diagnostics(await rpcs(client).analyze(analyzeRequest(LINK, "acme-builds", props)))).toEqual([]);
  });

  it("Analyze: an unknown observed state becomes an advisory 'cannot be checked until apply'", async () => {
    const res = await rpcs(client).analyze(analyzeRequest(LINK, "legacy-builds", linkInputs({ observed: UNKNOWN_STRING })));
    expect(diagnostics(res)).toEqual([
      [
        "revoked-link-has-no-webhooks",
        "advisory",
        `can't run policy 'revoked-link-has-no-webhooks' from policy pack ${PACK} during preview: link "legacy-builds" is revoked; whether the build service's webhooks and deploy keys are gone from acme/legacy-api, acme/legacy-web cannot be checked until apply: run pulumi up, then sourcelinks check --live (or pulumi preview) to verify`,
      ],
      [
        "revocation-is-two-sided",
        "advisory",
        `can't run policy 'revocation-is-two-sided' from policy pack ${PACK} during preview: link "legacy-builds" is revoked; whether it is unlinked on the build service and the github grant of "legacy-builder" is revoked cannot be checked until apply: run pulumi up, then sourcelinks check --live (or pulumi preview) to verify`,
      ],
    ]);
  });

  it("AnalyzeStack: a @pulumi/github RepositoryWebhook re-adding the build service's webhook on a revoked link's repository", async () => {
    const github = { type: "pulumi:providers:github", name: "default_6_15_0", props: { owner: "acme" } };
    const req = new pb.AnalyzeStackRequest().setResourcesList([
      stackResource(LINK, "legacy-builds", { ...linkInputs(), observed: cleanObserved() }),
      stackResource(
        "github:index/repositoryWebhook:RepositoryWebhook",
        "legacy-api-builds",
        {
          repository: "legacy-api",
          events: ["push"],
          configuration: { url: HOOK_URL, contentType: "json", secret: "s", insecureSsl: false },
        },
        github,
      ),
      stackResource(
        "github:index/repositoryWebhook:RepositoryWebhook",
        "legacy-api-ci",
        {
          repository: "legacy-api",
          events: ["push"],
          configuration: { url: "https://ci.acme.example/hooks/github", contentType: "json", secret: "s", insecureSsl: false },
        },
        github,
      ),
    ]);
    const res = await rpcs(client).analyzeStack(req);
    expect(diagnostics(res)).toEqual([
      [
        "revoked-link-has-no-webhooks-stack",
        "mandatory",
        `${rules["revoked-link-has-no-webhooks"].description} (Stack part: observed state from the outputs, and resources checked together.)\n@pulumi/github RepositoryWebhook "legacy-api-builds" points the build service's webhook URL ${HOOK_URL} at acme/legacy-api, a repository of revoked link "legacy-builds": remove the RepositoryWebhook resource from the Pulumi program and run pulumi up`,
      ],
    ]);
    expect(res.getDiagnosticsList()[0]!.getUrn()).toBe(
      "urn:pulumi:dev::links::github:index/repositoryWebhook:RepositoryWebhook::legacy-api-builds",
    );
  });

  it("AnalyzeStack: observed leftovers are reported once, by the stack policy", async () => {
    const observed = cleanObserved();
    (observed["repositories"] as JsonObject[])[0]!["webhooks"] = [
      { id: "1234", url: HOOK_URL, active: true, events: ["push"], hasSecret: true, insecureSsl: false, lastResponse: null },
    ];
    const res = await rpcs(client).analyzeStack(
      new pb.AnalyzeStackRequest().setResourcesList([stackResource(LINK, "legacy-builds", { ...linkInputs(), observed })]),
    );
    expect(diagnostics(res).map(([p, l, m]) => [p, l, m.split("\n")[1]])).toEqual([
      [
        "revoked-link-has-no-webhooks-stack",
        "mandatory",
        `link "legacy-builds" is revoked but the build service's webhook 1234 (${HOOK_URL}) is still on acme/legacy-api: run sourcelinks apply (or pulumi up) to delete it`,
      ],
    ]);
  });

  it("AnalyzeStack: an OrphanSweep's observed orphan is reported by no-orphaned-build-service-artifacts, at the sweep's URN", async () => {
    const SWEEP = "pulumi-nodejs:dynamic/sourcelinks:OrphanSweep";
    const artifact = {
      kind: "repository-webhook",
      provider: "github",
      owner: "acme",
      repository: "acme/old-site",
      id: "77",
      target: HOOK_URL,
      archived: false,
      classification: "orphaned",
      links: [],
    };
    const covered = { ...artifact, repository: "acme/api", id: "78", classification: "covered", links: ["acme-builds"] };
    const observed = {
      name: "sweep-github-acme",
      provider: "github",
      owner: "acme",
      repositoriesSwept: 2,
      repositoriesExcluded: 0,
      artifacts: [artifact, covered],
      foreignWebhookCount: 0,
    };
    const props = { name: "sweep-github-acme", provider: "github", owner: "acme", exclude: [], observed };
    const res = await rpcs(client).analyzeStack(
      new pb.AnalyzeStackRequest().setResourcesList([stackResource(SWEEP, "sweep-github-acme", props)]),
    );
    expect(diagnostics(res).map(([p, l, m]) => [p, l, m.split("\n")[1]])).toEqual([
      [
        "no-orphaned-build-service-artifacts",
        "mandatory",
        `sweep "sweep-github-acme": build-service webhook 77 (${HOOK_URL}) on acme/old-site is orphaned: nothing names it: no link, declared or on the build service, builds from acme/old-site: run sourcelinks apply (or pulumi up) to delete it, or declare a live link that builds from acme/old-site if it is still needed`,
      ],
    ]);
    expect(res.getDiagnosticsList()[0]!.getUrn()).toBe(`urn:pulumi:dev::links::${SWEEP}::sweep-github-acme`);
  });

  it("AnalyzeStack: a revoked link whose ReplacementBuild (over the sandbox) is proposed is mandatory, verified after the merge is clean, replacement: none is exempt", async () => {
    const BUILD = "pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild";
    const sandbox = await startSandbox({});
    const saved = { ...process.env };
    try {
      // The provider's methods read the world's URLs, tokens and the CI secrets' values from the environment.
      Object.assign(process.env, sandbox.env, {
        DOCKERHUB_USERNAME: "acme-ci",
        DOCKERHUB_TOKEN: "hub-value-4e1d",
        NPM_TOKEN: "npm-value-0b7c",
      });
      const config = (await loadDemoConfig(true))();
      const api = config.builds!.find((b) => b.image === "acme/legacy-api")!;
      const providers = {
        ...config.providers,
        dockerHub: { apiUrl: "https://hub.docker.com", usernameEnv: "DOCKER_HUB_USERNAME", tokenEnv: "DOCKER_HUB_READ_TOKEN" },
      };
      const inputs = (build: BuildSpec): ReplacementBuildInputs => ({
        ...build,
        fileBuilds: [build],
        buildService: config.buildService,
        providers,
        providerVersion: "0.1.0",
      });
      const stackWith = async (build: JsonObject) =>
        diagnostics(
          await rpcs(client).analyzeStack(
            new pb.AnalyzeStackRequest().setResourcesList([
              stackResource(LINK, "legacy-builds", { ...linkInputs(), observed: cleanObserved() }),
              stackResource(BUILD, String(build["image"]), build),
            ]),
          ),
        ).filter(([policy]) => policy === "replacement-before-revocation");

      const proposed = (await providerMethods.create({}, inputs(api))).outs!;
      expect(proposed).toMatchObject({ state: "proposed", pullRequest: { state: "open" } });
      expect(await stackWith(proposed as unknown as JsonObject)).toEqual([
        [
          "replacement-before-revocation",
          "mandatory",
          expect.stringContaining(
            `link "legacy-builds" may not be revoked yet: the replacement of acme/legacy-api (acme/legacy-api) is proposed`,
          ),
        ],
      ]);

      const merge = await fetch(
        `${sandbox.env.SOURCELINKS_GITHUB_API_URL}/repos/acme/legacy-api/pulls/${proposed.pullRequest!.number}/merge`,
        {
          method: "PUT",
          headers: { authorization: `token ${sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
          body: "{}",
        },
      );
      expect(merge.status).toBe(200);
      const verified = (await providerMethods.read({}, "github/acme/legacy-api/acme/legacy-api", proposed)).props!;
      expect(verified).toMatchObject({ state: "verified", verifiedTags: [{ name: "latest", fresh: true }] });
      expect(await stackWith(verified as unknown as JsonObject)).toEqual([]);

      const retired = (
        await providerMethods.create({}, inputs({ ...api, image: "acme/legacy-web", repository: "acme/legacy-web", replacement: "none" }))
      ).outs;
      expect(retired).toMatchObject({ state: "absent", replacement: "none" });
      expect(await stackWith(retired as unknown as JsonObject)).toEqual([]);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      await sandbox.close();
    }
  });

  it("Remediate: forces onRevoke delete on a revoked link that would keep leftovers", async () => {
    await configure(client, { "revoked-link-has-no-webhooks": pb.EnforcementLevel.REMEDIATE });
    const req = analyzeRequest(
      LINK,
      "legacy-builds",
      linkInputs({ onRevoke: { webhooks: "keep", deployKeys: "delete" }, account: UNKNOWN_STRING }),
    );
    const res = await rpcs(client).remediate(req);
    const remediations = res.getRemediationsList();
    expect(remediations.map((r) => r.getPolicyname())).toEqual(["revoked-link-has-no-webhooks"]);
    expect(remediations[0]!.getProperties()!.toJavaScript()).toEqual(
      linkInputs({ onRevoke: { webhooks: "delete", deployKeys: "delete" }, account: UNKNOWN_STRING }),
    );
  });
});
