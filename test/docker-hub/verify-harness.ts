/** A sandbox world with a GitHub and a Bitbucket repository whose replacement builds push to its Docker Hub, and the readers that verify them. */
import { renderBuildFiles } from "../../engine/builds/render.js";
import { createClients } from "../../engine/clients/index.js";
import type { ReplacementReaders } from "../../engine/clients/types.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { ReplacementObservation } from "../../engine/model/replacement.js";
import { Secret } from "../../engine/model/secret.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";

export const GITHUB_PAT = "sbx-gh-pat-verify-0123456789";
export const BB_TOKEN = "sbx-bb-api-verify-0123456789";
export const HUB_TOKEN = "sbx-dckr-read-verify-0123456789";

const SEED = `
github:
  users: [{ login: jdoe, pat: ${GITHUB_PAT} }]
  orgs: [{ login: acme, owners: [jdoe] }]
  repos: [{ name: acme/api }]
bitbucket:
  users: [{ username: acme-bb, email: bb@acme.test, apiToken: ${BB_TOKEN}, workspaces: [acme-team] }]
  repos: [{ name: acme-team/mobile }]
dockerHub:
  users: [{ username: acme-ci, namespaces: [acme], accessTokens: [{ value: ${HUB_TOKEN} }] }]
  repositories:
    - { name: acme/api, tags: [{ name: latest, lastPushed: 2026-09-30T10:00:00Z }] }
    - { name: acme/mobile, tags: [{ name: latest, lastPushed: 2026-09-30T10:00:00Z }] }
`;

/** The two builds: acme/api on GitHub (main → latest, v-tags → the version), acme/mobile on Bitbucket (master → latest). */
export const BUILDS: BuildSpec[] = [
  build("acme/api", "github", "acme/api", [
    { sourceType: "branch", source: "main", tag: "latest" },
    { sourceType: "tag", source: "/^v([0-9.]+)$/", tag: "{\\1}" },
  ]),
  build("acme/mobile", "bitbucket", "acme-team/mobile", [{ sourceType: "branch", source: "master", tag: "latest,stable" }]),
];

function build(
  image: string,
  provider: "github" | "bitbucket",
  repository: string,
  rules: { sourceType: "branch" | "tag"; source: string; tag: string }[],
): BuildSpec {
  return {
    image,
    provider,
    repository,
    autotest: "off",
    rules: rules.map((r) => ({ ...r, dockerfile: "Dockerfile", context: "/", autobuild: true, cache: false })),
    env: {},
    secrets: {},
    registry: { login: "token" },
    secretScope: "repository",
  };
}

/** Each build's rendered file: its path in the repository and its text. */
export function renderedFile(spec: BuildSpec): { path: string; text: string } {
  const file = renderBuildFiles([spec])[0]!;
  const prefix = `${spec.provider}/${spec.repository}/`;
  return { path: file.path.slice(prefix.length), text: file.text };
}

/** A merged proposal of `spec` whose default branch is at `sha`. */
export function merged(
  spec: BuildSpec,
  sha: string,
  defaultBranch = spec.provider === "github" ? "main" : "master",
): ReplacementObservation {
  return {
    provider: spec.provider,
    repository: spec.repository,
    images: [spec.image],
    path: renderedFile(spec).path,
    state: "merged",
    defaultBranch,
    defaultSha: sha,
    verifyHeads: {},
    branch: "sourcelinks/replacement",
    branchSha: null,
    branchCurrent: true,
    pullRequest: { number: 7, url: `https://github.com/${spec.repository}/pull/7`, state: "merged", headSha: "7".repeat(40) },
    held: null,
  };
}

/** Starts the sandbox. */
export function startVerifyWorld(): Promise<SandboxHandle> {
  return startSandbox({ seed: SEED });
}

/** The readers of the sandbox's GitHub, Bitbucket and Docker Hub, built as a run builds them. */
export function readers(sandbox: SandboxHandle): ReplacementReaders {
  const clients = createClients({
    buildService: {
      kind: "docker-hub",
      apiUrl: "https://cloud.docker.com/api/build/v1",
      token: null,
      webhookUrlPatterns: [],
      deployKeyTitlePatterns: [],
    },
    github: { apiUrl: sandbox.env.SOURCELINKS_GITHUB_API_URL, token: new Secret(GITHUB_PAT) },
    bitbucket: { apiUrl: sandbox.env.SOURCELINKS_BITBUCKET_API_URL, username: "bb@acme.test", token: new Secret(BB_TOKEN) },
    dockerHub: { apiUrl: sandbox.env.SOURCELINKS_DOCKER_HUB_API_URL, username: "acme-ci", token: new Secret(HUB_TOKEN) },
  });
  return clients.verification!;
}

/** A push of `spec`'s rendered file to `ref` at `sha`, as the sandbox's CI sees it. */
export async function push(sandbox: SandboxHandle, spec: BuildSpec, ref: string, sha: string): Promise<unknown> {
  const file = renderedFile(spec);
  const res = await fetch(`${sandbox.baseUrl}/_sandbox/ci/push`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ provider: spec.provider, repository: spec.repository, ref, sha, files: { [file.path]: file.text } }),
  });
  if (res.status !== 201) throw new Error(`ci push: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Makes `repository`'s builds fail (or pass). */
export async function failing(sandbox: SandboxHandle, repository: string, fail: boolean): Promise<void> {
  const res = await fetch(`${sandbox.baseUrl}/_sandbox/ci/failing`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ repository, failing: fail }),
  });
  if (res.status !== 200) throw new Error(`ci failing: ${res.status}`);
}
