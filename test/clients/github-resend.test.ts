/**
 * Which GitHub requests plugin-retry may resend after a 5xx: idempotent methods and the token check,
 * never another POST, whose first attempt may have acted.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildOctokit, type GitHubOctokit } from "../../engine/clients/github/octokit.js";
import { Pacer } from "../../engine/clients/pacer.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { testGitHubRouter } from "../support/core-harness.js";

let sandbox: SandboxHandle;
let octokit: GitHubOctokit;

beforeAll(async () => {
  sandbox = await startSandbox({ routers: [testGitHubRouter()] });
  octokit = buildOctokit({
    baseUrl: `${sandbox.baseUrl}/github`,
    token: undefined,
    pacer: new Pacer({ budgets: false }),
    rateLimitRetries: 3,
    serverErrorRetries: 3,
    retryAfterBaseMs: 1,
    requestTimeoutMs: 5_000,
    logger: undefined,
    secrets: () => [],
    userAgent: "sourcelinks-test",
  });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  sandbox.clearFaults();
  expect((await fetch(`${sandbox.baseUrl}/_sandbox/counters/reset`, { method: "POST" })).ok).toBe(true);
});

function sent(endpoint: string): number {
  return sandbox.counters().byEndpoint[endpoint] ?? 0;
}

describe("resending GitHub requests after a 502", () => {
  it("resends a GET until it succeeds", async () => {
    sandbox.injectFault({ errorRate: 1, errorStatus: 502, count: 2 });
    expect((await octokit.request("GET /_test/items/{id}", { id: "7" })).status).toBe(200);
    expect(sent("GET /github/_test/items/:id")).toBe(3);
  });

  it("resends a DELETE (idempotent) until it succeeds", async () => {
    sandbox.injectFault({ errorRate: 1, errorStatus: 502, count: 1 });
    expect((await octokit.request("DELETE /_test/items/{id}", { id: "7" })).status).toBe(204);
    expect(sent("DELETE /github/_test/items/:id")).toBe(2);
  });

  it("sends any other POST once", async () => {
    const before = sandbox.world().nextId;
    sandbox.injectFault({ errorRate: 1, errorStatus: 502, count: 1 });
    await expect(octokit.request("POST /_test/mutate")).rejects.toMatchObject({ status: 502 });
    expect(sent("POST /github/_test/mutate")).toBe(1);
    expect(sandbox.world().nextId).toBe(before);
  });
});
