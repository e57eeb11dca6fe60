import { afterEach, describe, expect, it } from "vitest";
import { buildKey } from "../../engine/builds/continuity.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { ReplacementVerdict } from "../../engine/model/replacement-run.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { verifyReplacements } from "../../engine/reconcile/verify-replacements.js";
import { evaluateAll, factsFromConfig } from "../../policies/rules/index.js";
import type { SandboxHandle } from "../../sandbox/server.js";
import { BUILDS, failing, merged, push, readers, startVerifyWorld } from "./verify-harness.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const [api, mobile] = BUILDS as [BuildSpec, BuildSpec];
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A config revoking `legacy` (acme/api on GitHub) with `builds`. */
function config(builds: BuildSpec[]): SourcelinksConfig {
  return {
    apiVersion: "sourcelinks/v1",
    buildService: {
      kind: "docker-hub",
      apiUrl: "https://cloud.docker.com/api/build/v1",
      tokenEnv: "SOURCELINKS_BUILD_TOKEN",
      webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"],
      deployKeyTitlePatterns: ["Docker Hub Builder*"],
      oauthApps: {},
    },
    providers: {},
    links: [
      {
        name: "legacy",
        namespace: "acme",
        provider: "github",
        account: "legacy-builder",
        serviceAccount: true,
        state: "revoked",
        repositories: ["acme/api"],
        onRevoke: { webhooks: "delete", deployKeys: "delete" },
      },
    ],
    orgAccess: [],
    sweeps: [],
    builds,
  } as SourcelinksConfig;
}

function judged(builds: BuildSpec[], verdicts: ReplacementVerdict[]) {
  const replacements = new Map(verdicts.map((v, i) => [buildKey(builds[i]!), v]));
  return evaluateAll(factsFromConfig(config(builds), { replacements })).filter((v) => v.ruleId === "replacement-before-revocation");
}

describe("replacement-before-revocation", () => {
  it("holds a revoked link while its repository's build has no successful run, and lets it go once the run pushed its tags", async () => {
    sandbox = await startVerifyWorld();
    const reading = readers(sandbox);
    const before = await verifyReplacements([api], [merged(api, SHA)], reading);
    expect(judged([api], before)).toEqual([
      expect.objectContaining({
        enforcement: "mandatory",
        resource: "legacy",
        subject: "acme/api",
        pointer: "/builds/0",
        message: expect.stringContaining(
          'link "legacy" may not be revoked yet: the replacement of acme/api (acme/api) is merged, not verified',
        ),
      }),
    ]);
    await push(sandbox, api, "refs/heads/main", SHA);
    expect(judged([api], await verifyReplacements([api], [merged(api, SHA)], reading))).toEqual([]);
  });

  it("names the failing run, and says nothing for a build retired on purpose or offline", async () => {
    sandbox = await startVerifyWorld();
    await failing(sandbox, "acme/api", true);
    await push(sandbox, api, "refs/heads/main", SHA);
    const verdicts = await verifyReplacements([api], [merged(api, SHA)], readers(sandbox));
    const [finding] = judged([api], verdicts);
    expect(finding?.message).toMatch(
      /is failing, not verified \(run https:\/\/github\.com\/acme\/api\/actions\/runs\/\d+ finished with failure\)/,
    );
    expect(finding?.fix).toContain("or set replacement: none on the build");
    expect(judged([{ ...api, replacement: "none" }], verdicts)).toEqual([]);
    expect(evaluateAll(factsFromConfig(config([api]))).filter((v) => v.ruleId === "replacement-before-revocation")).toEqual([]);
  });

  it("holds only the links a build is declared for: by name, or by one of the link's repositories on the same provider", async () => {
    sandbox = await startVerifyWorld();
    const verdicts = await verifyReplacements([mobile, { ...mobile, image: "acme/other", link: "legacy" }], [], readers(sandbox));
    const found = judged([mobile, { ...mobile, image: "acme/other", link: "legacy" }], verdicts);
    expect(found.map((v) => [v.subject, v.pointer])).toEqual([["acme/other", "/builds/1"]]);
    expect(found[0]!.message).toContain("is absent");
  });
});
