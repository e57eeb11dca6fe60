import { schema as githubSchema } from "@octokit/graphql-schema";
import { buildClientSchema, buildSchema, getNamedType, isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import { GRAPHQL_SUBSET_SDL } from "../../sandbox/github/graphql-schema.js";
import { startSandbox, type SandboxHandle, type SandboxOptions } from "../../sandbox/server.js";
import { githubFixtureWorld, type GitHubFixtureTokens } from "../support/github-harness.js";

const open: SandboxHandle[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

interface GraphqlAnswer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { type?: string; path?: string[]; message: string }[]; message?: string };
}

/** The fixture world plus `acme/many` holding 150 deploy keys, and a client posting queries as the admin. */
async function start(options: Omit<SandboxOptions, "seed"> = {}): Promise<{
  sandbox: SandboxHandle;
  tokens: GitHubFixtureTokens;
  post: (query: string, variables?: object, token?: string | null) => Promise<GraphqlAnswer>;
}> {
  const { world, tokens } = githubFixtureWorld(0);
  const many = world.github.repos.find((r) => r.name === "many")!;
  for (let i = 0; i < 150; i++)
    many.keys.push({
      id: 7000 + i,
      key: `ssh-ed25519 AAAA${i} k`,
      title: `key ${i}`,
      read_only: i % 2 === 0,
      verified: true,
      created_at: "2024-03-01T10:00:00Z",
      added_by: null,
    });
  const sandbox = await startSandbox({ ...options, seed: world });
  open.push(sandbox);
  const post = async (query: string, variables: object = {}, token: string | null = tokens.admin): Promise<GraphqlAnswer> => {
    const res = await fetch(`${sandbox.baseUrl}/github/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as GraphqlAnswer["body"] };
  };
  return { sandbox, tokens, post };
}

const KEYS = "deployKeys(first: 100) { nodes { id title readOnly } pageInfo { hasNextPage endCursor } }";

/** `n` aliases of `acme/api`'s deploy keys. */
function aliases(n: number, page = KEYS): string {
  return Array.from({ length: n }, (_, i) => `r${i}: repository(owner: "acme", name: "api") { ${page} }`).join("\n");
}

describe("the GraphQL subset's schema", () => {
  it("is a slice of GitHub's published schema: every type, field, argument and their types exist there as written", () => {
    // The introspection JSON, which the package's own `validate` uses (its IDL defines some fields twice).
    const github: GraphQLSchema = buildClientSchema(githubSchema.json as Parameters<typeof buildClientSchema>[0]);
    const subset = buildSchema(GRAPHQL_SUBSET_SDL);
    const checked: string[] = [];
    for (const type of Object.values(subset.getTypeMap())) {
      if (type.name.startsWith("__") || !(isObjectType(type) || isInterfaceType(type))) continue;
      const theirs = github.getType(type.name);
      expect(theirs && (isObjectType(theirs) || isInterfaceType(theirs)), type.name).toBeTruthy();
      const theirFields = (
        theirs as { getFields(): Record<string, { type: unknown; args: readonly { name: string; type: unknown }[] }> }
      ).getFields();
      for (const field of Object.values(type.getFields())) {
        const match = theirFields[field.name];
        expect(match, `${type.name}.${field.name}`).toBeDefined();
        expect(String(match!.type), `${type.name}.${field.name}`).toBe(String(field.type));
        for (const arg of field.args)
          expect(String(match!.args.find((a) => a.name === arg.name)?.type), `${type.name}.${field.name}(${arg.name})`).toBe(
            String(arg.type),
          );
        checked.push(`${type.name}.${field.name}`);
      }
    }
    expect(checked).toContain("Repository.deployKeys");
    expect(checked).toContain("RateLimit.cost");
    expect(getNamedType(github.getQueryType()!.getFields()["repository"]!.type).name).toBe("Repository");
  });
});

describe("POST /github/graphql", () => {
  it("refuses a request without a token (401) and one with a revoked token", async () => {
    const { post, tokens } = await start();
    const anonymous = await post("{ rateLimit { cost } }", {}, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.message).toBe("This endpoint requires you to be authenticated.");
    expect((await post("{ rateLimit { cost } }", {}, tokens.revoked)).status).toBe(401);
  });

  it("answers many repositories in one query, a missing one null with a NOT_FOUND error, one it cannot administer with FORBIDDEN, and counts the cost", async () => {
    const { post, sandbox } = await start();
    const answer = await post(
      `query($o: String!, $n: String!) { rateLimit { cost remaining limit resetAt nodeCount }
        a: repository(owner: $o, name: $n) { ${KEYS} }
        b: repository(owner: "acme", name: "gone") { ${KEYS} }
        c: repository(owner: "JDOE", name: "dotfiles") { ${KEYS} } }`,
      { o: "acme", n: "api" },
    );
    expect(answer.status).toBe(200);
    const data = answer.body.data!;
    expect(data["a"]).toEqual({
      deployKeys: {
        nodes: [{ id: expect.stringMatching(/^DK_/) as unknown, title: "Docker Hub Builder acme/api", readOnly: true }],
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) as unknown },
      },
    });
    expect(data["b"]).toBeNull();
    // octo-admin may read jdoe's public repository but not administer it: deployKeys (non-null) fails, so does the repository.
    expect(data["c"]).toBeNull();
    expect(answer.body.errors).toEqual([
      {
        type: "NOT_FOUND",
        path: ["b"],
        locations: expect.any(Array) as unknown,
        message: "Could not resolve to a Repository with the name 'acme/gone'.",
      },
      {
        type: "FORBIDDEN",
        path: ["c", "deployKeys"],
        locations: expect.any(Array) as unknown,
        message: "Resource not accessible by personal access token",
      },
    ]);
    // Three connections of 100: 3 requests / 100, rounded, at least 1; 300 nodes.
    expect(data["rateLimit"]).toMatchObject({ cost: 1, remaining: 4999, limit: 5000, nodeCount: 300 });
    expect(answer.headers.get("x-ratelimit-resource")).toBe("graphql");
    expect(answer.headers.get("x-ratelimit-remaining")).toBe("4999");
    const counters = sandbox.counters();
    expect(counters.graphql).toEqual({ queries: 1, points: 1 });
    // GraphQL has its own budget: no REST primary point was spent.
    expect(counters.primaryPointsByToken).toEqual({});
  });

  it("costs one point per 100 connections, rounded", async () => {
    const { post } = await start();
    const answer = await post(`{ rateLimit { cost } ${aliases(150)} }`);
    expect(answer.body.data!["rateLimit"]).toEqual({ cost: 2 });
  });

  it("pages a connection with first/after", async () => {
    const { post } = await start();
    const page = (after: string | null) =>
      post(
        `query($after: String) { repository(owner: "acme", name: "many") { deployKeys(first: 100, after: $after) { totalCount nodes { title } pageInfo { hasNextPage endCursor } } } }`,
        { after },
      );
    const first = (await page(null)).body.data!["repository"] as {
      deployKeys: { totalCount: number; nodes: { title: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    expect(first.deployKeys.nodes).toHaveLength(100);
    expect(first.deployKeys.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.deployKeys.pageInfo.endCursor)).body.data!["repository"] as typeof first;
    expect(second.deployKeys.nodes.map((n) => n.title)).toEqual(Array.from({ length: 50 }, (_, i) => `key ${100 + i}`));
    expect(second.deployKeys.pageInfo.hasNextPage).toBe(false);
  });

  it("refuses a query over 500,000 nodes, and `first` over 100, before running or charging it", async () => {
    const { post, sandbox } = await start();
    const huge = await post(`{ ${aliases(5001, "deployKeys(first: 100) { totalCount }")} }`);
    expect(huge.status).toBe(200);
    expect(huge.body.data).toBeUndefined();
    expect(huge.body.errors).toEqual([
      expect.objectContaining({
        type: "MAX_NODE_LIMIT_EXCEEDED",
        message:
          "By the time this query traverses to the deployKeys connection, it is requesting up to 500,100 possible nodes which exceeds the maximum limit of 500,000.",
      }),
    ]);
    const tooMany = await post(`{ ${aliases(1, "deployKeys(first: 101) { nodes { id } }")} }`);
    expect(tooMany.body.errors).toEqual([
      expect.objectContaining({
        type: "EXCESSIVE_PAGINATION",
        path: ["r0", "deployKeys"],
        message: "Requesting 101 records on the `deployKeys` connection exceeds the `first` limit of 100 records.",
      }),
    ]);
    const unbounded = await post(`{ ${aliases(1, "deployKeys { nodes { id } }")} }`);
    expect(unbounded.body.errors![0]!.type).toBe("MISSING_PAGINATION_BOUNDARIES");
    expect(sandbox.counters().graphql).toEqual({ queries: 0, points: 0 });
  });

  it("answers unknown fields with validation errors", async () => {
    const { post } = await start();
    const answer = await post(`{ repository(owner: "acme", name: "api") { deployKeys(first: 1) { nodes { databaseId } } } }`);
    expect(answer.body.errors![0]!.message).toContain("databaseId");
  });

  it("with limits enforced, refuses a query whose cost no longer fits in the GraphQL budget (RATE_LIMITED)", async () => {
    const { post, sandbox } = await start({ limits: { enabled: true, graphqlPointsPerHour: 2 } });
    expect((await post(`{ ${aliases(1)} }`)).body.errors).toBeUndefined();
    expect((await post(`{ ${aliases(1)} }`)).body.errors).toBeUndefined();
    const refused = await post(`{ ${aliases(1)} }`);
    expect(refused.body.errors).toEqual([{ type: "RATE_LIMITED", message: "API rate limit exceeded for user ID 1." }]);
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    const counters = sandbox.counters();
    expect(counters.graphql).toEqual({ queries: 2, points: 2 });
    expect(counters.rejections["graphql-primary"]).toBe(1);
  });
});
