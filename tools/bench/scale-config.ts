/**
 * The sourcelinks configs the benchmark runs: the desired state of a generated scale world
 * (sandbox/scale-world.ts), optionally with some links revoked, and a large config for `validate`.
 */
import { SCALE_CLIENT_ID, SCALE_NAMESPACE, SCALE_ORG } from "../../sandbox/scale-world.js";

/** The shape of a generated world, as passed to `scaleSeed` (repeated here so floors can be computed). */
export interface ScaleShape {
  links: number;
  repositories: number;
  foreignHooksPerRepo: number;
  multiPageRepos: number;
  hooksPerMultiPageRepo: number;
}

/** The scale the performance targets are set at: 1,000 links over 5,000 repositories, foreign hooks, 20 repositories with 120 hooks. */
export const ISSUE_SHAPE: ScaleShape = Object.freeze({
  links: 1000,
  repositories: 5000,
  foreignHooksPerRepo: 1,
  multiPageRepos: 20,
  hooksPerMultiPageRepo: 120,
});

/** The repositories of link `i`, dealt round-robin exactly as `scaleSeed` deals them. */
export function linkRepositories(shape: ScaleShape, i: number): string[] {
  const out: string[] = [];
  for (let r = i; r < shape.repositories; r += shape.links) out.push(`${SCALE_ORG}/repo-${r}`);
  return out;
}

/** Options of the scale config. */
export interface ScaleConfigOptions {
  /** Only the first N links are declared (default: all). */
  declare?: number;
  /** Every Nth link (0, N, 2N…) is declared `revoked`, deleting its webhooks and keeping its deploy keys. */
  revokeEvery?: number;
  /** Names `clientSecretEnv`, so observing a link also checks its grant with `POST /applications/{id}/token`. */
  checkGrants?: boolean;
  /** Authenticate as this GitHub App (its key in SOURCELINKS_GITHUB_APP_KEY) instead of the token in GITHUB_TOKEN. */
  app?: { appId: number; installationId: number };
  /**
   * Declares a replacement build for each of the first N repositories (one branch rule, OIDC login, one
   * secret): proposing each is a branch, a file, a pull request and a secret. Names Docker Hub for verifying.
   */
  builds?: number;
}

/**
 * YAML of the desired state of a scale world: every link linked as generated (so a refresh finds
 * nothing to change), except every `revokeEvery`th link, which is to be revoked.
 */
export function scaleConfigText(shape: ScaleShape, options: ScaleConfigOptions = {}): string {
  const secret = options.checkGrants ? ", clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET" : "";
  const lines = [
    "apiVersion: sourcelinks/v1",
    "buildService:",
    "  kind: reference",
    "  apiUrl: https://builds.example.com/api/build/v1",
    "  tokenEnv: SOURCELINKS_BUILD_TOKEN",
    '  webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"]',
    '  deployKeyTitlePatterns: ["Docker Hub Builder*"]',
    "  oauthApps:",
    `    github: { clientId: ${SCALE_CLIENT_ID}, name: Docker Hub Builder${secret} }`,
    "providers:",
    options.app
      ? `  github: { apiUrl: https://api.github.com, auth: { appId: ${options.app.appId}, privateKeyEnv: SOURCELINKS_GITHUB_APP_KEY, installations: { ${SCALE_ORG}: ${options.app.installationId} } } }`
      : "  github: { apiUrl: https://api.github.com, tokenEnv: GITHUB_TOKEN }",
    ...(options.builds === undefined
      ? []
      : ["  dockerHub: { apiUrl: https://hub.docker.com, usernameEnv: DOCKER_HUB_USERNAME, tokenEnv: DOCKER_HUB_READ_TOKEN }"]),
    "links:",
  ];
  const declared = Math.min(options.declare ?? shape.links, shape.links);
  for (let i = 0; i < declared; i++) {
    const revoked = isRevoked(i, options.revokeEvery);
    lines.push(
      `  - name: scale-link-${i}`,
      `    namespace: ${SCALE_NAMESPACE}`,
      "    provider: github",
      `    account: builder-${i}`,
      "    serviceAccount: true",
      `    state: ${revoked ? "revoked" : "linked"}`,
      `    repositories: [${linkRepositories(shape, i).join(", ")}]`,
      `    onRevoke: { webhooks: delete, deployKeys: ${revoked ? "keep" : "delete"} }`,
    );
  }
  if (options.builds !== undefined) lines.push("builds:");
  for (let r = 0; r < (options.builds ?? 0); r++) {
    lines.push(
      `  - image: ${SCALE_NAMESPACE}/repo-${r}`,
      "    provider: github",
      `    repository: ${SCALE_ORG}/repo-${r}`,
      "    rules: [{ sourceType: branch, source: main, tag: latest }]",
      "    registry: { login: oidc }",
      "    secrets: { NPM_TOKEN: BENCH_NPM_TOKEN }",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Whether link `i` is declared revoked when every `revokeEvery`th link is. */
export function isRevoked(i: number, revokeEvery: number | undefined): boolean {
  return revokeEvery !== undefined && i % revokeEvery === 0;
}

/** The valid head of a generated config (a docker-hub service and GitHub), seven lines before `links:`. */
export const MINIMAL_CONFIG_HEAD: readonly string[] = [
  "apiVersion: sourcelinks/v1",
  "buildService:",
  "  kind: docker-hub",
  "  oauthApps:",
  "    github: { clientId: Iv1.5a9d0c3e7b214f68, name: Docker Hub Builder }",
  "providers:",
  "  github: {}",
];

/** YAML of a valid config with `count` links over two repositories each, for timing `validate`. */
export function validateConfigText(count: number): string {
  const lines = [...MINIMAL_CONFIG_HEAD, "links:"];
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(5, "0");
    lines.push(
      `  - name: app-${id}`,
      "    namespace: acme",
      "    provider: github",
      `    account: builder-${i}`,
      "    serviceAccount: true",
      `    state: ${i % 10 === 0 ? "revoked" : "linked"}`,
      `    repositories: [acme/app-${id}, acme/app-${id}-web]`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * YAML of a config whose root mapping holds `count` unknown keys after a valid head, for timing
 * `validate` of a hostile pull request: every key is an error, so the run describes
 * the first 100 at their lines and counts the rest.
 */
export function unknownKeysConfigText(count: number): string {
  const lines = [...MINIMAL_CONFIG_HEAD];
  for (let i = 0; i < count; i++) lines.push(`x${i}: ${i}`);
  return `${lines.join("\n")}\n`;
}
