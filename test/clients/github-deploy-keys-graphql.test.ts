import { encode } from "@msgpack/msgpack";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubContext } from "../../engine/clients/github/context.js";
import { validate } from "@octokit/graphql-schema";
import { deployKeysQuery, GitHubDeployKeyReader, GitHubGraphqlError } from "../../engine/clients/github/deploy-keys-graphql.js";
import { createGitHubClients, type GitHubProviderClient } from "../../engine/clients/github/index.js";
import { restIdFromNodeId, UndecodableNodeIdError } from "../../engine/clients/github/node-id.js";
import { Secret } from "../../engine/model/secret.js";
import { UnobservableRepositoryError } from "../../engine/clients/unobservable-repository-error.js";
import { startSandbox, type SandboxHandle, type SandboxOptions } from "../../sandbox/server.js";
import { addBulkRepositories, githubFixtureWorld, type GitHubFixtureTokens } from "../support/github-harness.js";

const open: SandboxHandle[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

/** The fixture world plus `acme/bulk-0..249` (one key each) and `acme/many` with 150 keys. */
async function start(
  options: Omit<SandboxOptions, "seed"> = {},
): Promise<{ sandbox: SandboxHandle; tokens: GitHubFixtureTokens; provider: GitHubProviderClient }> {
  const { world, tokens } = githubFixtureWorld(0);
  addBulkRepositories(world, 250, (i) => `Docker Hub Builder bulk-${i}`);
  const many = world.github.repos.find((r) => r.name === "many")!;
  for (let i = 0; i < 150; i++)
    many.keys.push({
      id: 8_000_000_000 + i,
      key: `ssh-ed25519 AAAAmany${i} k`,
      title: `key ${i}`,
      read_only: false,
      verified: true,
      created_at: "2024-03-01T10:00:00Z",
      added_by: null,
    });
  const sandbox = await startSandbox({ ...options, seed: world });
  open.push(sandbox);
  const { provider } = createGitHubClients({ apiUrl: `${sandbox.baseUrl}/github`, token: new Secret(tokens.admin), retryAfterBaseMs: 5 });
  return { sandbox, tokens, provider: provider as GitHubProviderClient };
}

const bulk = (n: number): string[] => Array.from({ length: n }, (_, i) => `acme/bulk-${i}`);

describe("GitHubDeployKeyReader over the sandbox", () => {
  it("reads 252 repositories in 3 queries of 100 plus one page for the repository with 150 keys, with REST's ids", async () => {
    const { sandbox, provider } = await start();
    const keys = await provider.readDeployKeys([...bulk(250), "acme/many", "acme/api"]);
    expect(keys.size).toBe(252);
    const bulk7 = sandbox.world().github.repos.find((r) => r.name === "bulk-7")!;
    expect(keys.get("acme/bulk-7")).toEqual({
      exists: true,
      items: [{ id: "30007", title: "Docker Hub Builder bulk-7", readOnly: true }],
      identity: { id: String(bulk7.id), repository: "acme/bulk-7" },
    });
    const many = keys.get("acme/many")!;
    expect(many.items).toHaveLength(150);
    expect(many.items.at(-1)).toEqual({ id: "8000000149", title: "key 149", readOnly: false });
    // The ids are the ones REST lists (and DELETE /repos/{owner}/{repo}/keys/{key_id} takes).
    expect(keys.get("acme/api")!.items).toEqual((await provider.listDeployKeys("acme/api")).items);

    const counters = sandbox.counters();
    expect(counters.byEndpoint["POST /github/graphql"]).toBe(4);
    expect(counters.graphql).toEqual({ queries: 4, points: 4 });
    expect(provider.graphqlUsage()).toEqual({ queries: 4, points: 4, remaining: 4996 });
    // Nothing was read by REST but the one comparison listing.
    expect(counters.byService["github"]).toBe(5);
  });

  it("reports a missing repository as not existing and answers the others of its query", async () => {
    const { provider } = await start();
    const keys = await provider.readDeployKeys(["acme/bulk-1", "acme/gone", "nobody/nothing"]);
    expect(keys.get("acme/gone")).toEqual({ exists: false, items: [] });
    expect(keys.get("nobody/nothing")).toEqual({ exists: false, items: [] });
    expect(keys.get("acme/bulk-1")!.items).toHaveLength(1);
  });

  it("names a repository whose keys the token may not read (FORBIDDEN), with the permission", async () => {
    const { provider } = await start();
    const read = provider.readDeployKeys(["acme/bulk-1", "jdoe/dotfiles"]);
    await expect(read).rejects.toThrow(UnobservableRepositoryError);
    await expect(read).rejects.toThrow(/jdoe\/dotfiles.*admin access/s);
  });

  it("reports GitHub's node limit as a refused query when a batch asks for more than 500,000 nodes", async () => {
    const { sandbox, tokens } = await start();
    const reader = new GitHubDeployKeyReader(
      new GitHubContext({ apiUrl: `${sandbox.baseUrl}/github`, token: new Secret(tokens.admin), retryAfterBaseMs: 5 }),
      { repositoriesPerQuery: 5001 },
    );
    const read = reader.read(Array.from({ length: 5001 }, (_, i) => `acme/r${i}`));
    await expect(read).rejects.toThrow(GitHubGraphqlError);
    await expect(read).rejects.toThrow(
      /MAX_NODE_LIMIT_EXCEEDED: By the time this query traverses to the deployKeys connection, it is requesting up to 500,100 possible nodes/,
    );
    expect(sandbox.counters().graphql.queries).toBe(0);
  });

  it("counts GraphQL costs apart from REST's primary budget: the query's headers do not stall REST pacing", async () => {
    const { sandbox, provider } = await start({ limits: { enabled: true, graphqlPointsPerHour: 3, primaryPointsPerHour: 100 } });
    await provider.readDeployKeys(bulk(250));
    expect(sandbox.counters().graphql).toEqual({ queries: 3, points: 3 });
    // The GraphQL budget is spent; REST reads go on (they would wait for GraphQL's reset if its headers fed REST's pacer).
    expect((await provider.listWebhooks("acme/api")).exists).toBe(true);
  });
});

describe("deployKeysQuery", () => {
  it("is valid against GitHub's published GraphQL schema (@octokit/graphql-schema)", () => {
    expect(validate(deployKeysQuery(1))).toEqual([]);
    expect(validate(deployKeysQuery(3))).toEqual([]);
  });
});

describe("restIdFromNodeId", () => {
  it("reads the database id from GitHub's current and legacy formats", () => {
    expect(restIdFromNodeId("U_kgDOADP9xw", "User")).toBe("3407303");
    expect(restIdFromNodeId(`DK_${Buffer.from(encode([0, 42, 8_000_000_123])).toString("base64url")}`, "DeployKey")).toBe("8000000123");
    expect(restIdFromNodeId(Buffer.from("09:DeployKey12345").toString("base64"), "DeployKey")).toBe("12345");
  });

  it("refuses an id that holds no REST id of the type", () => {
    expect(() => restIdFromNodeId(Buffer.from("04:User12345").toString("base64"), "DeployKey")).toThrow(UndecodableNodeIdError);
    expect(() => restIdFromNodeId("DK_notmsgpack", "DeployKey")).toThrow(UndecodableNodeIdError);
    expect(() => restIdFromNodeId(`DK_${Buffer.from(encode([1, 42])).toString("base64url")}`, "DeployKey")).toThrow(UndecodableNodeIdError);
  });
});
