/**
 * The sandbox's world: everything the three fake services hold, as plain JSON so it can be
 * persisted atomically, snapshotted and seeded. Route modules read and mutate it; nothing else does.
 */
import type { BuildServiceLinkWire } from "./build-service/wire-types.js";

/** GitHub: a user or organization account. */
export interface GitHubAccountState {
  id: number;
  login: string;
  type: "User" | "Organization";
  name: string | null;
}

/** GitHub: the last delivery of a hook. */
export interface GitHubHookResponseState {
  code: number | null;
  status: string;
  message: string | null;
}

/** GitHub: a repository webhook (`/repos/{owner}/{repo}/hooks`). */
export interface GitHubHookState {
  id: number;
  active: boolean;
  events: string[];
  config: { url: string; content_type: "json" | "form"; secret: string | null; insecure_ssl: "0" | "1" };
  created_at: string;
  updated_at: string;
  last_response: GitHubHookResponseState;
}

/** GitHub: a deploy key (`/repos/{owner}/{repo}/keys`). */
export interface GitHubDeployKeyState {
  id: number;
  key: string;
  title: string;
  read_only: boolean;
  verified: boolean;
  created_at: string;
  added_by: string | null;
}

/**
 * A repository's git content, as simply as the contents, refs, src and pull request APIs need it:
 * branches name commits, and each commit holds every file of its tree (path → base64 bytes). Absent
 * on a repository means a default branch `main` with one commit holding `README.md` (git/model.ts).
 */
export interface GitContentState {
  defaultBranch: string;
  /** Branch name → head commit sha. */
  branches: Record<string, string>;
  /** Commit sha → commit. */
  commits: Record<string, GitCommitState>;
}

/** One commit: its parents (two for a merge) and its whole tree. */
export interface GitCommitState {
  sha: string;
  parents: string[];
  message: string;
  /** GitHub timestamp format. */
  date: string;
  /** Path (no leading `/`) → the file's bytes, base64. */
  files: Record<string, string>;
}

/** GitHub: a pull request (`/repos/{owner}/{repo}/pulls`). */
export interface GitHubPullState {
  number: number;
  id: number;
  title: string;
  body: string | null;
  /** The head and base branches (same repository: the sandbox has no forks). */
  head: string;
  base: string;
  state: "open" | "closed";
  merged: boolean;
  mergeCommitSha: string | null;
  user: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
  mergedBy: string | null;
  /** The head branch's commit when the pull request was closed unmerged (GitHub's head stops following the branch then). */
  closedHeadSha?: string | null;
}

/** An Actions secret as the sandbox received it: the value is the decrypted sealed box (never served back). */
export interface ActionsSecretState {
  name: string;
  value: string;
  created_at: string;
  updated_at: string;
}

/** An org's Actions secret, with the repositories it is available to. */
export interface OrgActionsSecretState extends ActionsSecretState {
  visibility: "all" | "private" | "selected";
  /** Repository ids, for `selected`. */
  selectedRepositoryIds: number[];
}

/** The Curve25519 key pair GitHub seals Actions secrets to (base64), per repository or org. */
export interface SealingKeyState {
  keyId: string;
  publicKey: string;
  privateKey: string;
}

/** GitHub: a repository with its hooks and keys. */
export interface GitHubRepoState {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  /** Archived: readable, but GitHub refuses every write (403); absent means false. */
  archived?: boolean;
  /**
   * Earlier `owner/name`s, oldest first: GitHub redirects them to the repository (301 on reads, 307
   * on writes) until a repository of that name is created; absent means never renamed.
   */
  formerNames?: string[];
  hooks: GitHubHookState[];
  keys: GitHubDeployKeyState[];
  /** Branches, commits and files; absent: created on first use (git/model.ts `gitOf`). */
  git?: GitContentState;
  /** Pull requests, numbered from 1. */
  pulls?: GitHubPullState[];
  /** Actions repository secrets. */
  secrets?: ActionsSecretState[];
  /** The key Actions secrets are sealed to; generated on the first `GET …/actions/secrets/public-key`. */
  secretsKey?: SealingKeyState;
}

/** GitHub: an org's members and its third-party (OAuth app) access policy. */
export interface GitHubOrgState {
  login: string;
  owners: string[];
  members: string[];
  /** Keyed by OAuth app client id; absent means the org has no restriction set for that app. */
  oauthAppAccess: Record<string, "granted" | "denied" | "requested">;
  /** Whether OAuth App access restrictions are on (GitHub's default for new orgs). */
  oauthRestrictionsEnabled: boolean;
  /** GitHub Enterprise Cloud audit log entries, oldest recorded first; null when not an enterprise org. */
  auditLog: GitHubAuditEventState[] | null;
  /** Organization webhooks (`/orgs/{org}/hooks`); absent means none. */
  hooks?: GitHubHookState[];
  /** Organization Actions secrets. */
  secrets?: OrgActionsSecretState[];
  secretsKey?: SealingKeyState;
}

/**
 * One GitHub Enterprise Cloud audit log event, as recorded (github/audit-log.ts). The optional fields
 * are those GitHub sets on the event's category: `repo` (`owner/name`) on `hook.*`, `public_key.*` and
 * `repo.*`; `hook_id`; the creating app on `hook.*` (`oauth_application_id`) and `org.oauth_app_access_*`
 * (`oauth_application_client_id`); `old_name` on `repo.rename` and `repo.transfer`.
 */
export interface GitHubAuditEventState {
  action: string;
  /** ISO 8601 with milliseconds, on the sandbox clock. */
  created_at: string;
  actor: string;
  oauth_application_client_id?: string;
  oauth_application_id?: number;
  repo?: string;
  hook_id?: number;
  public_key_id?: number;
  old_name?: string;
}

/** How the audit log answers: the delay before an event appears and the hourly query budget per caller. */
export interface GitHubAuditLogSettings {
  /** GitHub seconds between an event and its first appearance in a query (GitHub's log is not instant). */
  delaySeconds: number;
  /** Queries per GitHub hour per caller (GitHub: 1,750 per user and IP). */
  queriesPerHour: number;
}

/** A credential the sandbox accepts: a personal token, an OAuth token issued to an app for a user, or (built per request) an installation's. */
export interface GitHubTokenState {
  token: string;
  login: string;
  kind: "pat" | "oauth" | "installation";
  /** For `oauth` tokens: the app they were issued to. */
  clientId: string | null;
  revoked: boolean;
  /**
   * A classic token's OAuth scopes. Absent: every scope the sandbox checks (`workflow` included);
   * without `workflow`, writes under `.github/workflows/` are refused with 403 as on GitHub.
   */
  scopes?: string[];
}

/** A GitHub App's permission level (https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app). */
export type GitHubAppPermissionLevel = "read" | "write";

/** A GitHub App installation on one owner (org or user), with the permissions it was granted. */
export interface GitHubInstallationState {
  id: number;
  owner: string;
  permissions: Record<string, GitHubAppPermissionLevel>;
}

/** A GitHub App: its id, the public half of its key (to verify JWTs) and its installations. */
export interface GitHubAppState {
  id: number;
  slug: string;
  publicKey: string;
  installations: GitHubInstallationState[];
}

/** An installation access token the sandbox issued; it expires an hour (of sandbox time) after issue. */
export interface InstallationTokenState {
  token: string;
  appId: number;
  installationId: number;
  /** Epoch ms on the sandbox clock. */
  expiresAt: number;
}

/** An OAuth application registered on GitHub or Bitbucket (the build service's). */
export interface OAuthAppState {
  provider: "github" | "bitbucket";
  clientId: string;
  clientSecret: string;
  name: string;
}

/** Bitbucket: a repository webhook. */
export interface BitbucketHookState {
  uuid: string;
  url: string;
  description: string;
  active: boolean;
  events: string[];
  skip_cert_verification: boolean;
  secret_set: boolean;
  created_at: string;
}

/** Bitbucket: a repository deploy key. */
export interface BitbucketDeployKeyState {
  id: number;
  key: string;
  label: string;
  created_on: string;
}

/** Bitbucket: a pull request (`/pullrequests`). */
export interface BitbucketPullState {
  id: number;
  title: string;
  description: string;
  source: string;
  destination: string;
  state: "OPEN" | "MERGED" | "DECLINED";
  author: string;
  mergeCommitSha: string | null;
  /** The source branch's commit when the pull request was merged or declined (it stops following the branch then). */
  sourceSha?: string | null;
  created_on: string;
  updated_on: string;
}

/** Bitbucket: a Pipelines repository variable; a secured one's value is never served back. */
export interface BitbucketVariableState {
  uuid: string;
  key: string;
  value: string;
  secured: boolean;
}

/** Bitbucket: a repository in a workspace. */
export interface BitbucketRepoState {
  uuid: string;
  workspace: string;
  slug: string;
  hooks: BitbucketHookState[];
  keys: BitbucketDeployKeyState[];
  /** Branches, commits and files; absent: created on first use (git/model.ts `gitOf`). */
  git?: GitContentState;
  pulls?: BitbucketPullState[];
  /** Whether Pipelines is enabled (`…/pipelines_config`); absent means off, Bitbucket's default. */
  pipelinesEnabled?: boolean;
  variables?: BitbucketVariableState[];
}

/**
 * Bitbucket: a user (an Atlassian account) with an API token, used with the account's email; `grants`
 * lists OAuth consumers the user authorized. `appPassword` is a legacy credential Bitbucket no longer
 * accepts (removed 2026-07-28): a request made with it is answered the way Bitbucket answers it now.
 */
export interface BitbucketUserState {
  username: string;
  email: string;
  apiToken: string;
  appPassword: string;
  workspaces: string[];
  grants: { consumerKey: string; revoked: boolean; accessToken: string }[];
}

/** Bitbucket: a workspace access token, or a repository access token when `repository` (a slug) is set; sent as Bearer. */
export interface BitbucketAccessTokenState {
  token: string;
  workspace: string;
  repository: string | null;
}

/** Build service: a link record, as served on the wire (less its URI, which depends on the host) plus the grant it holds. */
export interface BuildServiceLinkState extends Omit<BuildServiceLinkWire, "resource_uri"> {
  /** The OAuth access token the service obtained when linking (a GitHub oauth token or Bitbucket grant token). */
  grantToken: string | null;
  /** Autobuild source repositories (`owner/name`). */
  repositories: string[];
}

/** Build service: an API token and the namespaces it may act on. */
export interface BuildServiceTokenState {
  token: string;
  namespaces: string[];
}

/** Docker Hub: a personal access token of a user; `read` tokens may read, `write` tokens may also push. */
export interface DockerHubAccessTokenState {
  token: string;
  scope: "read" | "write";
}

/** Docker Hub: a user (or organization member) and their personal access tokens. */
export interface DockerHubUserState {
  username: string;
  /** Namespaces (the user's own and organizations) the user may read. */
  namespaces: string[];
  accessTokens: DockerHubAccessTokenState[];
}

/** Docker Hub: one tag of a repository, with when it was last pushed (ISO 8601). */
export interface DockerHubTagState {
  name: string;
  lastPushed: string;
  digest: string;
}

/** Docker Hub: a repository `namespace/name` and its tags. */
export interface DockerHubRepositoryState {
  namespace: string;
  name: string;
  private: boolean;
  tags: DockerHubTagState[];
}

/** A bearer JWT the sandbox's Docker Hub issued for `POST /v2/auth/token`; valid until `expiresAt` (epoch ms, sandbox clock). */
export interface DockerHubBearerState {
  token: string;
  username: string;
  scope: "read" | "write";
  expiresAt: number;
}

/** Docker Hub's API (hub.docker.com): users, repositories with tags, issued bearers and its request limit. */
export interface DockerHubState {
  users: DockerHubUserState[];
  repositories: DockerHubRepositoryState[];
  bearers: DockerHubBearerState[];
  /** Requests a caller may make per window (`X-RateLimit-Limit`) and the window's length in seconds. */
  rateLimit: { limit: number; windowSeconds: number };
}

/** A CI run the sandbox executed (a GitHub Actions workflow run or a Bitbucket pipeline) for a replacement build. */
export interface CiRunState {
  id: number;
  /** `owner/name` or `workspace/slug`. */
  repository: string;
  /** The CI file it ran (`.github/workflows/….yml`, `bitbucket-pipelines.yml`). */
  path: string;
  /** The ref's name (`main`, `v1.2.3`) and its kind. */
  refName: string;
  refType: "branch" | "tag";
  headSha: string;
  event: "push";
  status: "completed";
  conclusion: "success" | "failure";
  /** ISO 8601, on the sandbox clock: started, then finished a second later (when it pushed). */
  startedAt: string;
  finishedAt: string;
  /** What the rendered router decided to build (`builds tags`' `builds`), and the `image:tag`s pushed. */
  builds: unknown[];
  pushed: string[];
}

/** The whole sandbox world. */
export interface World {
  github: {
    accounts: GitHubAccountState[];
    orgs: GitHubOrgState[];
    repos: GitHubRepoState[];
    tokens: GitHubTokenState[];
    /** GitHub Apps and their installations; absent in worlds seeded before apps existed. */
    apps?: GitHubAppState[];
    /** Installation access tokens issued so far. */
    installationTokens?: InstallationTokenState[];
    /** Workflow runs of replacement builds, oldest first; absent in worlds that never ran one. */
    workflowRuns?: CiRunState[];
    /** The audit log's delay and query budget; absent means no delay and GitHub's 1,750 queries an hour. */
    auditLogSettings?: GitHubAuditLogSettings;
  };
  bitbucket: {
    users: BitbucketUserState[];
    repos: BitbucketRepoState[];
    /** Absent in state files written before access tokens existed. */
    accessTokens?: BitbucketAccessTokenState[];
    /** Pipelines of replacement builds, oldest first; absent in worlds that never ran one. */
    pipelines?: CiRunState[];
  };
  oauthApps: OAuthAppState[];
  /** Absent in state files written before Docker Hub's API was modelled. */
  dockerHub?: DockerHubState;
  /** Repositories (`owner/name`, `workspace/slug`) whose CI builds fail: their runs conclude `failure` and push nothing. */
  failingBuilds?: string[];
  buildService: {
    /** Prefix of the webhook URLs the service installs, e.g. `https://cloud.docker.com/api/build/v1/vcs/`. */
    webhookUrlBase: string;
    tokens: BuildServiceTokenState[];
    links: BuildServiceLinkState[];
  };
  /** Monotonic id source for every numeric id the sandbox hands out. */
  nextId: number;
  /**
   * Whose credentials the sandbox hands out in its `env` (GITHUB_TOKEN, BITBUCKET_*, SOURCELINKS_BUILD_TOKEN).
   * Absent or null fields fall back to the first PAT / Bitbucket user / build token of namespace `acme`.
   */
  operator?: { github: string | null; bitbucket: string | null; namespace: string | null; dockerHub?: string | null };
}

/** An empty world, the base every seed builds on. */
export function emptyWorld(): World {
  return {
    github: { accounts: [], orgs: [], repos: [], tokens: [] },
    bitbucket: { users: [], repos: [], accessTokens: [] },
    oauthApps: [],
    dockerHub: emptyDockerHub(),
    buildService: { webhookUrlBase: "https://cloud.docker.com/api/build/v1/vcs/", tokens: [], links: [] },
    nextId: 1000,
  };
}

/** Docker Hub with nothing in it and its default limit (180 requests a minute per caller). */
export function emptyDockerHub(): DockerHubState {
  return { users: [], repositories: [], bearers: [], rateLimit: { limit: 180, windowSeconds: 60 } };
}
