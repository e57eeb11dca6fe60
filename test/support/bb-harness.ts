/**
 * Test fixtures for the build-service and Bitbucket routes and clients: a small world with
 * credentials made at run time, served by the real sandbox (`startSandbox`) on 127.0.0.1, port 0.
 */
import { randomBytes } from "node:crypto";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { emptyWorld, type World } from "../../sandbox/world.js";

/** An obviously fake credential, fresh each run. */
export function fakeToken(label: string): string {
  return `fake-${label}-${randomBytes(12).toString("hex")}`;
}

/** Credentials of the test world. */
export interface TestCredentials {
  buildToken: string;
  otherNamespaceToken: string;
  bitbucketUser: string;
  /** The user's Atlassian account email (the Basic user name of an API token). */
  bitbucketEmail: string;
  /** The user's API token. */
  bitbucketPassword: string;
  /** A legacy app password, refused as Bitbucket refuses them since 2026-07-28. */
  bitbucketAppPassword: string;
  /** A workspace access token of `acme-team`, and a repository access token of `acme-team/other`. */
  workspaceAccessToken: string;
  repositoryAccessToken: string;
  outsiderUser: string;
  outsiderEmail: string;
  outsiderPassword: string;
  githubClientId: string;
  bitbucketKey: string;
}

/** The build service's webhook URL for a uuid. */
export function triggerUrl(uuid: string): string {
  return `https://cloud.docker.com/api/build/v1/vcs/${uuid}/trigger/call/`;
}

/** A world for these tests: namespace `acme`, GitHub orgs `acme` (granted) and `contractor-co` (restricted, no decision), Bitbucket `acme-team/mobile`. */
export function testWorld(): { world: World; creds: TestCredentials } {
  const creds: TestCredentials = {
    buildToken: fakeToken("build"),
    otherNamespaceToken: fakeToken("build-other"),
    bitbucketUser: "acme-bb-builder",
    bitbucketEmail: "builder@acme.example",
    bitbucketPassword: fakeToken("bb-api-token"),
    bitbucketAppPassword: fakeToken("bb-app-password"),
    workspaceAccessToken: fakeToken("bb-workspace-access"),
    repositoryAccessToken: fakeToken("bb-repository-access"),
    outsiderUser: "outsider",
    outsiderEmail: "outsider@elsewhere.example",
    outsiderPassword: fakeToken("bb-outsider"),
    githubClientId: "Iv1.testclient00001",
    bitbucketKey: "TestConsumerKey",
  };
  const world = emptyWorld();
  const now = "2024-01-02T03:04:05.000Z";
  world.oauthApps.push(
    { provider: "github", clientId: creds.githubClientId, clientSecret: fakeToken("client-secret"), name: "Docker Hub Builder" },
    { provider: "bitbucket", clientId: creds.bitbucketKey, clientSecret: fakeToken("consumer-secret"), name: "Docker Hub Builder" },
  );
  world.buildService.tokens.push(
    { token: creds.buildToken, namespaces: ["acme"] },
    { token: creds.otherNamespaceToken, namespaces: ["other"] },
  );
  world.github.accounts.push(
    { id: 1, login: "jdoe", type: "User", name: "Jane Doe" },
    { id: 2, login: "acme-builder", type: "User", name: null },
    { id: 3, login: "acme", type: "Organization", name: "Acme" },
    { id: 4, login: "contractor-co", type: "Organization", name: null },
  );
  world.github.orgs.push(
    {
      login: "acme",
      owners: ["jdoe"],
      members: ["acme-builder"],
      oauthAppAccess: { [creds.githubClientId]: "granted" },
      oauthRestrictionsEnabled: true,
      auditLog: [],
    },
    { login: "contractor-co", owners: [], members: [], oauthAppAccess: {}, oauthRestrictionsEnabled: true, auditLog: null },
  );
  const jdoeGrant = fakeToken("gh-oauth-jdoe");
  world.github.tokens.push({ token: jdoeGrant, login: "jdoe", kind: "oauth", clientId: creds.githubClientId, revoked: false });
  world.github.repos.push({
    id: 10,
    owner: "acme",
    name: "api",
    private: true,
    hooks: [
      {
        id: 11,
        active: true,
        events: ["push", "pull_request"],
        config: { url: triggerUrl("0b6cbd6e-8d6f-4f27-9a9c-2f1f6f3c1a11"), content_type: "json", secret: "s", insecure_ssl: "0" },
        created_at: now,
        updated_at: now,
        last_response: { code: 200, status: "active", message: "OK" },
      },
    ],
    keys: [],
  });
  world.buildService.links.push({
    id: "link-jdoe",
    namespace: "acme",
    provider: "github",
    account: "jdoe",
    team: "ci",
    service_account: false,
    state: "enabled",
    created_at: now,
    updated_at: now,
    grantToken: jdoeGrant,
    repositories: ["acme/api", "acme/web"],
  });
  const bbGrant = fakeToken("bb-grant");
  world.bitbucket.users.push(
    {
      username: creds.bitbucketUser,
      email: creds.bitbucketEmail,
      apiToken: creds.bitbucketPassword,
      appPassword: creds.bitbucketAppPassword,
      workspaces: ["acme-team"],
      grants: [{ consumerKey: creds.bitbucketKey, revoked: false, accessToken: bbGrant }],
    },
    {
      username: creds.outsiderUser,
      email: creds.outsiderEmail,
      apiToken: creds.outsiderPassword,
      appPassword: fakeToken("bb-outsider-app"),
      workspaces: [],
      grants: [],
    },
  );
  world.bitbucket.accessTokens = [
    { token: creds.workspaceAccessToken, workspace: "acme-team", repository: null },
    { token: creds.repositoryAccessToken, workspace: "acme-team", repository: "other" },
  ];
  world.bitbucket.repos.push({
    uuid: "{6a1f0e8e-1111-4c2b-9d3e-5f5a5a5a5a5a}",
    workspace: "acme-team",
    slug: "mobile",
    hooks: [
      {
        uuid: "{2d1c3b4a-0000-4a5b-8c9d-0e1f2a3b4c5d}",
        url: triggerUrl("2d1c3b4a-build"),
        description: "Docker Hub",
        active: true,
        events: ["repo:push"],
        skip_cert_verification: false,
        secret_set: true,
        created_at: now,
      },
      {
        uuid: "{9f8e7d6c-0000-4a5b-8c9d-0e1f2a3b4c5d}",
        url: "https://ci.acme.example/hooks/bitbucket",
        description: "CI",
        active: true,
        events: ["repo:push", "pullrequest:created"],
        skip_cert_verification: true,
        secret_set: false,
        created_at: now,
      },
    ],
    keys: [
      { id: 501, key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests builder@docker", label: "Docker Hub Builder", created_on: now },
    ],
  });
  world.buildService.links.push({
    id: "link-bb",
    namespace: "acme",
    provider: "bitbucket",
    account: creds.bitbucketUser,
    team: null,
    service_account: true,
    state: "enabled",
    created_at: now,
    updated_at: now,
    grantToken: bbGrant,
    repositories: ["acme-team/mobile"],
  });
  return { world, creds };
}

/** Starts the real sandbox (`startSandbox`) on port 0 over a copy of `world`. */
export function startHarness(world: World): Promise<SandboxHandle> {
  return startSandbox({ seed: world });
}
