/**
 * `sourcelinksPolicies` in AWSGuard's shape, through the analyzer protocol: a pack composed from the
 * library (`{ all, "<rule>": level | { enforcementLevel, ...ruleConfig } }`) started as the engine
 * starts a pack (@pulumi/pulumi's `cmd/run-policy-pack`), and arguments a JavaScript caller gets
 * wrong stopping the pack at start with an error naming the key.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SourcelinksPolicyArgs, sourcelinksPolicies } from "../../policies/library.js";
import { ensureBuilt } from "../support/ensure-built.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
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

const LINK = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";
const HOOK = "github:index/repositoryWebhook:RepositoryWebhook";
const HOOK_URL = "https://cloud.docker.com/api/build/v1/vcs/0d5e2a1c-8f7b-4e3a-9c61-2b4d7e9f1a30/trigger/call/";

const dirs: string[] = [];

/** A pack folder whose entry composes the library's policies with `args`, as a user's own pack would. */
function packDir(args: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sourcelinks-pack-"));
  dirs.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "acme-guard", version: "1.0.0", main: "index.cjs" }));
  const library = JSON.stringify(join(root, "dist/policies/library.js"));
  writeFileSync(join(dir, "index.cjs"), `"use strict";\nrequire(${library}).sourcelinksPolicyPack("acme-guard", ${args});\n`);
  return dir;
}

/** Starts a pack like the engine: resolves with its port, or rejects with what it wrote on stderr when it exits first. */
function startPack(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const runner = join(root, "node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js");
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", dir], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolvePort, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0] ?? "";
      if (out.includes("\n") && /^\d+$/.test(line.trim())) resolvePort({ child, port: Number(line.trim()) });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${err}`)));
  });
}

function struct(obj: JsonObject) {
  return structPb.Struct.fromJavaScript(obj as StructFields);
}

type Callback<Res> = (e: Error | null, r: Res) => void;

function call<Req, Res>(method: (req: Req, cb: Callback<Res>) => unknown, client: AnalyzerClient, req: Req): Promise<Res> {
  return new Promise((ok, fail) => method.call(client, req, (e, r) => (e ? fail(e) : ok(r))));
}

function stackResource(type: string, name: string, props: JsonObject, provider?: { type: string; name: string; props: JsonObject }) {
  const r = new pb.AnalyzerResource()
    .setType(type)
    .setName(name)
    .setUrn(`urn:pulumi:dev::links::${type}::${name}`)
    .setProperties(struct(props))
    .setOptions(new pb.AnalyzerResourceOptions().setProtect(false));
  if (provider)
    r.setProvider(
      new pb.AnalyzerProviderResource()
        .setType(provider.type)
        .setName(provider.name)
        .setUrn(`urn:pulumi:dev::links::${provider.type}::${provider.name}`)
        .setProperties(struct(provider.props)),
    );
  return r;
}

/** A live link on acme/api, and a @pulumi/github webhook with the build service's URL on acme/legacy-api, which no link declares. */
function stack(): InstanceType<Pb["AnalyzeStackRequest"]> {
  const github = { type: "pulumi:providers:github", name: "default", props: { owner: "acme" } };
  return new pb.AnalyzeStackRequest().setResourcesList([
    stackResource(LINK, "acme-builds", {
      name: "acme-builds",
      namespace: "acme",
      provider: "github",
      account: "acme-builder",
      serviceAccount: true,
      state: "linked",
      repositories: ["acme/api"],
      onRevoke: { webhooks: "delete", deployKeys: "delete" },
      buildService: {
        kind: "reference",
        apiUrl: "http://127.0.0.1:1/build/api/build/v1",
        webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"],
        deployKeyTitlePatterns: ["Docker Hub Builder*"],
        oauthApps: { github: { clientId: "Iv1.5a9d0c3e7b214f68", name: "Docker Hub Builder" } },
      },
      providerVersion: "0.1.0",
    }),
    stackResource(
      HOOK,
      "legacy-api-builds",
      {
        repository: "legacy-api",
        events: ["push"],
        configuration: { url: HOOK_URL, contentType: "json", secret: "s", insecureSsl: false },
      },
      github,
    ),
  ]);
}

/** [policy, level name] of each diagnostic. */
function diagnostics(res: InstanceType<Pb["AnalyzeResponse"]>): [string, string][] {
  const names = ["advisory", "mandatory", "disabled", "remediate"];
  return res.getDiagnosticsList().map((d) => [d.getPolicyname(), names[d.getEnforcementlevel()] ?? "?"]);
}

beforeAll(async () => {
  await ensureBuilt(["dist/policies/library.js"]);
}, 240_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("a pack composed with sourcelinksPolicies({ all, rule: { enforcementLevel, ...ruleConfig } })", () => {
  let child: ChildProcess;
  let client: AnalyzerClient;

  beforeAll(async () => {
    const started = await startPack(
      packDir(
        `{ all: "advisory", "revoked-link-has-no-webhooks": "disabled", "webhook-hygiene": { enforcementLevel: "mandatory", allowedRepositories: ["acme/legacy-*"] } }`,
      ),
    );
    child = started.child;
    client = new rpc.AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client?.close();
    child?.removeAllListeners("exit");
    child?.kill();
  });

  it("describes each policy at the level its rule was given, else at all's", async () => {
    const info = await call<InstanceType<typeof emptyPb.Empty>, InstanceType<Pb["AnalyzerInfo"]>>(
      client.getAnalyzerInfo,
      client,
      new emptyPb.Empty(),
    );
    const levels = new Map(info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]));
    expect(levels.get("webhook-hygiene")).toBe(pb.EnforcementLevel.MANDATORY);
    expect(levels.get("webhook-hygiene-stack")).toBe(pb.EnforcementLevel.MANDATORY);
    expect(levels.get("revoked-link-has-no-webhooks-stack")).toBe(pb.EnforcementLevel.DISABLED);
    expect(levels.get("team-link-uses-service-account")).toBe(pb.EnforcementLevel.ADVISORY);
  });

  it("uses the rule's settings as its stack policy's config: the allowed repository's webhook is not reported; --policy-pack-config still overrides them", async () => {
    const analyzeStack = (req: InstanceType<Pb["AnalyzeStackRequest"]>) =>
      call<typeof req, InstanceType<Pb["AnalyzeResponse"]>>(client.analyzeStack, client, req);
    expect(diagnostics(await analyzeStack(stack())).filter(([p]) => p === "webhook-hygiene-stack")).toEqual([]);
    const configure = new pb.ConfigureAnalyzerRequest();
    configure
      .getPolicyconfigMap()
      .set(
        "webhook-hygiene-stack",
        new pb.PolicyConfig().setEnforcementlevel(pb.EnforcementLevel.MANDATORY).setProperties(struct({ allowedRepositories: [] })),
      );
    await call<typeof configure, unknown>(client.configure, client, configure);
    expect(diagnostics(await analyzeStack(stack())).filter(([p]) => p === "webhook-hygiene-stack")).toEqual([
      ["webhook-hygiene-stack", "mandatory"],
    ]);
  });
});

describe("arguments a JavaScript caller gets wrong are errors naming the key", () => {
  it("a misspelt rule stops the pack at start", async () => {
    await expect(startPack(packDir(`{ "webhook-hygeine": "mandatory" }`))).rejects.toThrow(
      'sourcelinksPolicies: unknown rule "webhook-hygeine"; the rules are: all, ',
    );
  });

  it.each([
    [{ all: "required" }, 'sourcelinksPolicies: "all" must be one of advisory, mandatory, remediate, disabled, not "required"'],
    [
      { "webhook-hygiene": { enforcementLevel: "strict" } },
      'sourcelinksPolicies: "webhook-hygiene".enforcementLevel must be one of advisory, mandatory, remediate, disabled, not "strict"',
    ],
    [
      { "webhook-hygiene": { allowedRepos: ["acme/*"] } },
      'sourcelinksPolicies: "webhook-hygiene" has no setting "allowedRepos"; its settings are: enforcementLevel, webhookUrlPatterns, allowedRepositories',
    ],
    [{ "webhook-hygiene": { allowedRepositories: "acme/*" } }, 'sourcelinksPolicies: "webhook-hygiene".allowedRepositories must be a list'],
    [
      { "webhook-hygiene": 3 },
      'sourcelinksPolicies: "webhook-hygiene" must be an enforcement level or { enforcementLevel, ...settings }, not 3',
    ],
    ["mandatory", 'sourcelinksPolicies: expected an object such as { all: "mandatory" }, not "mandatory"'],
  ])("%j", (args, message) => {
    expect(() => sourcelinksPolicies(args as unknown as SourcelinksPolicyArgs)).toThrow(message);
  });

  it("the earlier call form (levels by rule id) keeps working", () => {
    const policies = sourcelinksPolicies({ all: "advisory", "revoked-link-has-no-webhooks": "mandatory" });
    expect(policies.find((p) => p.name === "revoked-link-has-no-webhooks-stack")?.enforcementLevel).toBe("mandatory");
    expect(policies.find((p) => p.name === "webhook-hygiene")?.enforcementLevel).toBe("advisory");
  });
});
