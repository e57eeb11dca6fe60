/**
 * The sandbox's world rendered in api.github.com's wire format. Field sets follow the schemas of
 * GitHub's OpenAPI description (`@octokit/openapi`: simple-user, public-user, private-user,
 * organization-full, minimal-repository, full-repository, hook, org-hook, deploy-key, authorization),
 * which test/sandbox/openapi-conformance.test.ts checks.
 */
import { createHash } from "node:crypto";
import type {
  GitHubAccountState,
  GitHubDeployKeyState,
  GitHubHookState,
  GitHubOrgState,
  GitHubRepoState,
  GitHubTokenState,
  OAuthAppState,
  World,
} from "../world.js";
import { findOrg, sameLogin } from "./auth.js";

/** JSON object as sent on the wire. */
export type WireObject = Record<string, unknown>;

/** Timestamps the world does not record (account creation and the like) are this fixed instant. */
const EPOCH = "2020-01-01T00:00:00Z";
const HTML_BASE = "https://github.com";

/** The account for a login: from the world, or synthesized with a stable id for owners the seed did not list. */
export function accountFor(world: World, login: string): GitHubAccountState {
  const found = world.github.accounts.find((a) => sameLogin(a.login, login));
  if (found) return found;
  return { id: stableId(login), login, type: findOrg(world, login) ? "Organization" : "User", name: null };
}

/** A positive 31-bit id derived from a string, for things the world keeps no id for. */
export function stableId(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0) & 0x7fffffff;
}

function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString("base64");
}

/** `simple-user`: the compact account object nested in repositories, keys and authorizations. */
export function simpleUser(api: string, account: GitHubAccountState): WireObject {
  const u = `${api}/users/${account.login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type, account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: "",
    url: u,
    html_url: `${HTML_BASE}/${account.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: account.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** `public-user` (`GET /users/{username}`). */
export function publicUser(api: string, world: World, account: GitHubAccountState): WireObject {
  return {
    ...simpleUser(api, account),
    name: account.name,
    company: null,
    blog: "",
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: world.github.repos.filter((r) => sameLogin(r.owner, account.login) && !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: EPOCH,
    updated_at: EPOCH,
  };
}

/** `private-user` (`GET /user`): the public fields plus the authenticated user's own counters. */
export function privateUser(api: string, world: World, account: GitHubAccountState): WireObject {
  const owned = world.github.repos.filter((r) => sameLogin(r.owner, account.login));
  const privateCount = owned.filter((r) => r.private).length;
  return {
    ...publicUser(api, world, account),
    // The discriminator of GET /user's oneOf in GitHub's OpenAPI description.
    user_view_type: "private",
    private_gists: 0,
    total_private_repos: privateCount,
    owned_private_repos: privateCount,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

/** `organization-full` (`GET /orgs/{org}`). */
export function organizationFull(api: string, world: World, org: GitHubOrgState): WireObject {
  const account = accountFor(world, org.login);
  const o = `${api}/orgs/${org.login}`;
  return {
    login: org.login,
    id: account.id,
    node_id: nodeId("Organization", account.id),
    url: o,
    repos_url: `${o}/repos`,
    events_url: `${o}/events`,
    hooks_url: `${o}/hooks`,
    issues_url: `${o}/issues`,
    members_url: `${o}/members{/member}`,
    public_members_url: `${o}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    description: null,
    // organization-full declares name/company/blog/location/email as optional non-null strings: unset ones are left out.
    ...(account.name !== null ? { name: account.name } : {}),
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: world.github.repos.filter((r) => sameLogin(r.owner, org.login) && !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${HTML_BASE}/${org.login}`,
    type: "Organization",
    created_at: EPOCH,
    updated_at: EPOCH,
    archived_at: null,
  };
}

/** `minimal-repository` (`GET /orgs/{org}/repos`). */
export function minimalRepository(api: string, world: World, repo: GitHubRepoState): WireObject {
  const full = `${repo.owner}/${repo.name}`;
  const r = `${api}/repos/${full}`;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: full,
    owner: simpleUser(api, accountFor(world, repo.owner)),
    private: repo.private,
    html_url: `${HTML_BASE}/${full}`,
    description: null,
    fork: false,
    url: r,
    archive_url: `${r}/{archive_format}{/ref}`,
    assignees_url: `${r}/assignees{/user}`,
    blobs_url: `${r}/git/blobs{/sha}`,
    branches_url: `${r}/branches{/branch}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    comments_url: `${r}/comments{/number}`,
    commits_url: `${r}/commits{/sha}`,
    compare_url: `${r}/compare/{base}...{head}`,
    contents_url: `${r}/contents/{+path}`,
    contributors_url: `${r}/contributors`,
    deployments_url: `${r}/deployments`,
    downloads_url: `${r}/downloads`,
    events_url: `${r}/events`,
    forks_url: `${r}/forks`,
    git_commits_url: `${r}/git/commits{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    issue_events_url: `${r}/issues/events{/number}`,
    issues_url: `${r}/issues{/number}`,
    keys_url: `${r}/keys{/key_id}`,
    labels_url: `${r}/labels{/name}`,
    languages_url: `${r}/languages`,
    merges_url: `${r}/merges`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    pulls_url: `${r}/pulls{/number}`,
    releases_url: `${r}/releases{/id}`,
    stargazers_url: `${r}/stargazers`,
    statuses_url: `${r}/statuses/{sha}`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    tags_url: `${r}/tags`,
    teams_url: `${r}/teams`,
    trees_url: `${r}/git/trees{/sha}`,
    hooks_url: `${r}/hooks`,
    visibility: repo.private ? "private" : "public",
    default_branch: repo.git?.defaultBranch ?? "main",
    archived: repo.archived === true,
    disabled: false,
    created_at: EPOCH,
    updated_at: EPOCH,
    pushed_at: EPOCH,
  };
}

/** `full-repository` (`GET /repos/{owner}/{repo}`). */
export function fullRepository(api: string, world: World, repo: GitHubRepoState, admin?: boolean): WireObject {
  const full = `${repo.owner}/${repo.name}`;
  return {
    ...minimalRepository(api, world, repo),
    // What the caller may do, as GitHub reports it to an authenticated caller; admin is what hooks and keys need.
    ...(admin === undefined ? {} : { permissions: { admin, maintain: admin, push: admin, triage: admin, pull: true } }),
    git_url: `git://github.com/${full}.git`,
    ssh_url: `git@github.com:${full}.git`,
    clone_url: `${HTML_BASE}/${full}.git`,
    svn_url: `${HTML_BASE}/${full}`,
    mirror_url: null,
    homepage: null,
    language: null,
    size: 0,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    network_count: 0,
    subscribers_count: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    is_template: false,
    license: null,
  };
}

/** Where a hook lives: a repository (`/repos/o/r`) or an org (`/orgs/o`), relative to the API root. */
export interface HookScope {
  type: "Repository" | "Organization";
  /** e.g. `/repos/acme/api` or `/orgs/acme`. */
  path: string;
}

/** `hook` (repository) or `org-hook`: GitHub never echoes a secret, it shows `********` when one is set. */
export function hookWire(api: string, scope: HookScope, hook: GitHubHookState): WireObject {
  const h = `${api}${scope.path}/hooks/${hook.id}`;
  const config: WireObject = {
    url: hook.config.url,
    content_type: hook.config.content_type,
    insecure_ssl: hook.config.insecure_ssl,
  };
  if (hook.config.secret !== null) config.secret = "********";
  const wire: WireObject = {
    type: scope.type,
    id: hook.id,
    name: "web",
    active: hook.active,
    events: [...hook.events],
    config,
    updated_at: hook.updated_at,
    created_at: hook.created_at,
    url: h,
    ping_url: `${h}/pings`,
    deliveries_url: `${h}/deliveries`,
    last_response: { ...hook.last_response },
  };
  if (scope.type === "Repository") wire.test_url = `${h}/tests`;
  return wire;
}

/** `deploy-key`. */
export function deployKeyWire(api: string, repo: GitHubRepoState, key: GitHubDeployKeyState): WireObject {
  return {
    id: key.id,
    key: key.key,
    url: `${api}/repos/${repo.owner}/${repo.name}/keys/${key.id}`,
    title: key.title,
    verified: key.verified,
    created_at: key.created_at,
    read_only: key.read_only,
    added_by: key.added_by,
    last_used: null,
    enabled: true,
  };
}

/** `authorization`: what `POST /applications/{client_id}/token` returns for a live token. */
export function authorizationWire(api: string, world: World, app: OAuthAppState, token: GitHubTokenState): WireObject {
  const hashed = createHash("sha256").update(token.token).digest("base64");
  const id = stableId(`authorization:${hashed}`);
  return {
    id,
    url: `${api}/authorizations/${id}`,
    scopes: ["repo", "admin:repo_hook"],
    token: token.token,
    token_last_eight: token.token.slice(-8),
    hashed_token: hashed,
    app: { client_id: app.clientId, name: app.name, url: "https://hub.docker.com" },
    note: null,
    note_url: null,
    updated_at: EPOCH,
    created_at: EPOCH,
    fingerprint: null,
    expires_at: null,
    user: simpleUser(api, accountFor(world, token.login)),
    installation: null,
  };
}
