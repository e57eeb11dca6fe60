/**
 * Sandbox seeds: a friendly YAML description of a world, turned into a `World` by `loadSeed`.
 * Validated by `schema/sandbox-seed.schema.json` (unknown keys are errors), then checked for
 * references (every login, repository and app a field names must be declared). Errors name the
 * line and column. Every secret you leave out is generated at load time as an obviously fake random
 * value (`sbx-gh-<hex>`, `sbx-bb-<hex>`, `sbx-bs-<hex>`, `sbx-cs-<hex>`, `sbx-hook-<hex>`), never shaped
 * like a real GitHub token. Ids come from `world.nextId`; timestamps are the load time.
 *
 * ```yaml
 * operator:                        # whose credentials the sandbox prints in its env (all optional)
 *   github: jdoe                   #   GITHUB_TOKEN = this user's PAT (default: the first PAT)
 *   bitbucket: acme-bb-builder     #   BITBUCKET_EMAIL / BITBUCKET_API_TOKEN (default: first user)
 *   namespace: acme                #   SOURCELINKS_BUILD_TOKEN (default: namespace acme, else the first token)
 * oauthApps:                       # the build service's OAuth apps (SOURCELINKS_GITHUB_CLIENT_SECRET = the GitHub one's)
 *   - { provider: github, clientId: Iv1.5a9d0c3e7b214f68, name: Docker Hub Builder }   # clientSecret: optional
 *   - { provider: bitbucket, clientId: SbxKey7Q2w, name: Docker Hub Builder }          # clientId = consumer key
 * github:
 *   users:
 *     - login: jdoe
 *       name: Jane Doe             # optional
 *       pat: true                  # true (default): generate a PAT; false: none; a string: that value
 *   orgs:
 *     - login: acme
 *       owners: [jdoe]             # declared users
 *       members: [acme-builder]
 *       restrictions: true         # OAuth App access restrictions on (default true, GitHub's default)
 *       appAccess: { Iv1.5a9d0c3e7b214f68: granted }   # granted | denied | requested, per app client id
 *       auditLog: true             # GitHub Enterprise Cloud audit log (default false); seeded with one
 *                                  # org.oauth_app_access_approved|denied|requested entry per appAccess entry
 *       hooks: []                  # organization webhooks, same shape as repository hooks
 *   repos:
 *     - name: acme/api             # owner must be a declared user or org
 *       private: true              # default true
 *       hooks:
 *         - url: https://cloud.docker.com/api/build/v1/vcs/0b6c.../trigger/call/
 *           active: true           # default true
 *           events: [push, pull_request]   # default [push]
 *           contentType: json      # json (default) | form
 *           secret: true           # true: generated; false (default): none; a string: that value
 *           insecureSsl: false     # default false
 *           lastResponse: { code: 200, status: active, message: OK }   # default {code: null, status: unused}
 *       archived: false            # default false; GitHub refuses writes (403) to an archived repository
 *       defaultBranch: main        # default main; with files, the default branch's one commit
 *       files: { README.md: "# api\n" }   # path: text (default: a README.md naming the repository)
 *       deployKeys:
 *         - { title: Docker Hub Builder, readOnly: true }   # key: optional (a fake ssh-ed25519 key)
 *   tokens:                        # extra tokens besides the users' PATs and the links' grants
 *     - { login: jdoe, kind: oauth, app: Iv1.5a9d0c3e7b214f68, value: optional, revoked: false }
 *     - { login: jdoe, kind: pat, scopes: [repo] }   # classic scopes (default all); no `workflow`: workflow writes 403
 *   apps: []                       # GitHub Apps and their installations (github/app-seed.ts)
 * bitbucket:
 *   users:
 *     - username: acme-bb-builder
 *       email: optional            # the Atlassian account's email (default USERNAME@bitbucket.sandbox.test)
 *       apiToken: optional         # API token, sent as Basic email:token (generated when absent)
 *       appPassword: optional      # a legacy app password: refused with 401, as Bitbucket does since 2026-07-28
 *       workspaces: [acme-team]
 *       grants: [{ app: SbxKey7Q2w, revoked: false }]   # extra OAuth consumer grants (accessToken optional)
 *   repos:
 *     - name: acme-team/mobile     # workspace/slug
 *       hooks: [{ url: https://registry.hub.docker.com/hooks/bitbucket, description: Docker Hub, active: true,
 *                 events: [repo:push], secret: false, skipCertVerification: false }]
 *       deployKeys: [{ label: Docker Hub Builder }]
 *       defaultBranch: main        # and files: as for GitHub
 *   accessTokens:                  # workspace or repository access tokens, sent as Bearer
 *     - { workspace: acme-team, repository: optional slug, value: optional }
 * dockerHub:                       # Docker Hub's API (hub.docker.com) the replacement builds push to
 *   users:
 *     - username: acme-ci          # operator.dockerHub picks whose read token the env hands out (default: the first)
 *       namespaces: [acme]         # namespaces the user may read (default: the username)
 *       accessTokens: [{ scope: read }]   # read (default) | write; value: optional (generated: sbx-dckr-<hex>)
 *   repositories:
 *     - name: acme/api             # namespace/name
 *       private: true              # default true; a private repository needs a bearer of a user of its namespace
 *       tags: [{ name: latest, lastPushed: 2026-11-01T12:00:00Z }]   # lastPushed default: the load time
 *   rateLimit: { limit: 180, windowSeconds: 60 }   # per caller (default 180 a minute)
 * buildService:
 *   webhookUrlBase: https://cloud.docker.com/api/build/v1/vcs/   # default
 *   namespaces:
 *     - name: acme
 *       tokens: [{}]               # API tokens acting on this namespace (default one, generated);
 *                                  # the same value under several namespaces is one multi-namespace token
 *       links:
 *         - id: optional           # default: a fresh id from nextId
 *           team: ci               # default null
 *           provider: github       # github | bitbucket
 *           account: jdoe          # a declared GitHub user / Bitbucket user
 *           serviceAccount: false  # default false
 *           state: enabled         # enabled (default) | disabled | unlinked
 *           repositories: [acme/api, acme/web]   # declared repos of that provider
 *           grant: active          # active (default): an OAuth token for (account, the provider's app) is issued
 *                                  # and held as the link's grantToken; revoked: issued then revoked; none: no grant
 * ```
 */
import { Ajv, type ErrorObject } from "ajv";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import seedSchema from "../schema/sandbox-seed.schema.json" with { type: "json" };
import { describeFileProblem, readRegularFile } from "../engine/config/read-file.js";
import { buildWorld } from "./seed-world.js";
import type { SeedDocument } from "./seed-document.js";
import type { World } from "./world.js";
import { SourcelinksError } from "../engine/model/errors.js";

export { fakeSecret } from "./fake-secrets.js";
export type { SeedDocument, SeedGitHubHook, SeedLink } from "./seed-document.js";

/** A seed that cannot be loaded; `problems` lists each one as `SOURCE:LINE:COL: message` when the position is known. */
export class SeedError extends SourcelinksError {
  override readonly name = "SeedError";
  readonly kind = "input";
  constructor(readonly problems: string[]) {
    super(`invalid sandbox seed:\n  ${problems.join("\n  ")}`);
  }
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSeed = ajv.compile<SeedDocument>(seedSchema);

type Locate = (path: (string | number)[]) => string;

/**
 * Converts a seed (YAML text or an already parsed document) into a world.
 * @param source names the text in error messages (a file path, usually).
 * @throws SeedError listing every problem found.
 */
export function loadSeed(input: string | SeedDocument, source = "seed"): World {
  let doc: unknown = input;
  let locate: Locate = (path) => `${source}: /${path.join("/")}`;
  if (typeof input === "string") {
    const lines = new LineCounter();
    const parsed = parseDocument(input, { lineCounter: lines, prettyErrors: false });
    if (parsed.errors.length > 0) {
      throw new SeedError(
        parsed.errors.map((e) => {
          const pos = lines.linePos(e.pos[0]);
          return `${source}:${pos.line}:${pos.col}: ${e.message.split("\n")[0]}`;
        }),
      );
    }
    doc = parsed.toJS() ?? {};
    locate = yamlLocator(parsed, lines, source);
  }
  if (!validateSeed(doc)) {
    throw new SeedError((validateSeed.errors ?? []).map((e) => `${locate(errorPath(e))}: ${describe(e)}`));
  }
  const problems: string[] = [];
  const world = buildWorld(doc, (path, message) => problems.push(`${locate(path)}: ${message}`));
  if (problems.length > 0) throw new SeedError(problems);
  return world;
}

/** The largest seed file read: 64 MiB (generated scale worlds are passed as text, not files). */
const MAX_SEED_BYTES = 64 * 1024 * 1024;

/** Reads and loads a seed file: a regular file under the cap (a FIFO would hang the start), else a {@link SeedError}. */
export function loadSeedFile(path: string): World {
  const read = readRegularFile(path, { maxBytes: MAX_SEED_BYTES });
  if ("problem" in read) throw new SeedError([`${path}: cannot read the seed: ${describeFileProblem(read.problem)}`]);
  return loadSeed(read.bytes.toString("utf8"), path);
}

function errorPath(e: ErrorObject): (string | number)[] {
  const path: (string | number)[] = e.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (e.keyword === "additionalProperties") path.push(String((e.params as { additionalProperty: string }).additionalProperty));
  return path;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || "/";
  if (e.keyword === "additionalProperties")
    return `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}" in ${at}`;
  if (e.keyword === "enum") return `${at} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  return `${at} ${e.message ?? "is invalid"}`;
}

function yamlLocator(doc: Document, lines: LineCounter, source: string): Locate {
  const at = (offset: number): string => {
    const pos = lines.linePos(offset);
    return `${source}:${pos.line}:${pos.col}`;
  };
  return (path) => {
    // Point at the deepest part of the path that exists; for a map entry, at its key.
    for (let n = path.length; n > 0; n--) {
      const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
      const last = path[n - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
        const range = isScalar(pair?.key) ? pair.key.range : undefined;
        if (range) return at(range[0]);
      } else if (isSeq(parent) && typeof last === "number") {
        const range = (parent.items[last] as { range?: [number, number, number] } | undefined)?.range;
        if (range) return at(range[0]);
      }
    }
    const root = (doc.contents as { range?: [number, number, number] } | null)?.range;
    return root ? at(root[0]) : source;
  };
}
