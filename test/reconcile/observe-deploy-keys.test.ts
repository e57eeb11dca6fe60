/**
 * A refresh reads the deploy keys of every observed GitHub repository through batched GraphQL, so a
 * live link reports its deploy keys (it used to show none: keys were read only for revocations).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOperationContext, observeLinks } from "../../engine/reconcile/operations.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { githubRepo, loadDemoConfig } from "../support/demo-config.js";

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe("refresh of the demo world", () => {
  it("shows a linked link's deploy keys, read for every GitHub repository in one GraphQL query", async () => {
    const config = (await loadDemoConfig())();
    const before = sandbox.counters();
    const ctx = createOperationContext(config, sandbox.env);
    const observed = await observeLinks(ctx, config.links);
    const after = sandbox.counters();

    const linked = observed.find((o) => o.name === "acme-builds")!;
    expect(linked.state).toBe("linked");
    const api = linked.repositories.find((r) => r.repository === "acme/api")!;
    const key = githubRepo(sandbox.world(), "acme/api").keys[0]!;
    expect(api.deployKeysListed).toBe(true);
    expect(api.deployKeys).toEqual([{ id: String(key.id), title: "Docker Hub Builder (acme/ci)", readOnly: key.read_only }]);
    expect(linked.repositories.map((r) => r.deployKeys.length)).toEqual([1, 1]);

    // The revoked link's keys come from the same query: no REST key listing at all.
    const revoked = observed.find((o) => o.name === "legacy-builds")!;
    expect(revoked.repositories.every((r) => r.deployKeysListed && r.deployKeys.length === 1)).toBe(true);
    expect((after.byEndpoint["POST /github/graphql"] ?? 0) - (before.byEndpoint["POST /github/graphql"] ?? 0)).toBe(1);
    expect(
      (after.byEndpoint["GET /github/repos/:owner/:repo/keys"] ?? 0) - (before.byEndpoint["GET /github/repos/:owner/:repo/keys"] ?? 0),
    ).toBe(0);

    // Bitbucket stays on REST: a linked link's keys are not read there.
    const bitbucket = observed.find((o) => o.name === "mobile-builds")!;
    expect(bitbucket.repositories[0]!.deployKeysListed).toBe(false);
  });
});
