/**
 * Bitbucket's webhook-data budget, paced by the client: a workspace whose sweep needs three hours of
 * the budget is read whole, with no request refused, on a sandbox whose clock runs 7,200 times faster
 * than real time (a Bitbucket hour lasts half a second), where an unpaced client is refused.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBitbucketClient } from "../../engine/clients/bitbucket/index.js";
import { loadConfigTexts } from "../../engine/config/load.js";
import { Secret } from "../../engine/model/secret.js";
import { createOperationContext } from "../../engine/reconcile/context.js";
import { observeSweep, SweepLinkWorld } from "../../engine/reconcile/observe-sweep.js";
import { BITBUCKET_SCALE_WORKSPACE, generateBitbucketScaleWorld } from "../../sandbox/bitbucket-scale-world.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";

const REPOSITORIES = 60;
/** A third of the workspace an hour: reading it needs three hours of the budget. */
const PER_HOUR = 20;
const TIME_SCALE = 7200;
const HOOK_LIST = "GET /bitbucket/2.0/repositories/:workspace/:repo_slug/hooks";

let sandbox: SandboxHandle;
/** When set, the sandbox's clock stands still, so a burst lands in one hour however slow the machine. */
let frozenAt: number | null = null;
beforeAll(async () => {
  sandbox = await startSandbox({
    seed: generateBitbucketScaleWorld({ repositories: REPOSITORIES, artifactsEvery: 10 }),
    timeScale: TIME_SCALE,
    bitbucketLimits: { webhookRequestsPerHour: PER_HOUR },
    now: () => frozenAt ?? Date.now(),
  });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  // A full hour for each test, as a pause of an hour of Bitbucket time would give.
  sandbox.setBitbucketLimits({});
});

const repositories = Array.from({ length: REPOSITORIES }, (_, n) => `${BITBUCKET_SCALE_WORKSPACE}/repo-${n}`);

function client(webhookRequestsPerHour: number, retries = 2) {
  return createBitbucketClient({
    apiUrl: sandbox.env.SOURCELINKS_BITBUCKET_API_URL,
    username: sandbox.env.BITBUCKET_EMAIL,
    token: new Secret(sandbox.env.BITBUCKET_API_TOKEN),
    concurrency: 16,
    pacing: { webhookRequestsPerHour, timeScale: TIME_SCALE },
    transport: { retries },
  });
}

describe("Bitbucket's webhook-data budget", () => {
  it("refuses a client that spends more than the hour holds", async () => {
    const unpaced = client(1000, 0);
    frozenAt = Date.now();
    const results = await Promise.allSettled(repositories.map((r) => unpaced.listWebhooks(r))).finally(() => (frozenAt = null));
    expect(results.filter((r) => r.status === "rejected").length).toBeGreaterThan(0);
    expect(sandbox.counters().rejections["bitbucket-webhook-data"]).toBeGreaterThan(0);
  });

  it("a paced client lists every repository's webhooks once, over three hours of the budget, with no refusal", async () => {
    const before = sandbox.counters();
    const paced = client(PER_HOUR);
    const listings = await Promise.all(repositories.map((r) => paced.listWebhooks(r)));
    const after = sandbox.counters();

    expect(listings.every((l) => l.exists && l.items.length >= 1)).toBe(true);
    expect(after.rejections["bitbucket-webhook-data"]).toBe(before.rejections["bitbucket-webhook-data"]);
    expect((after.byEndpoint[HOOK_LIST] ?? 0) - (before.byEndpoint[HOOK_LIST] ?? 0)).toBe(REPOSITORIES);
    expect(after.bitbucketWebhookData.peakWindow).toBeLessThanOrEqual(PER_HOUR);
  });

  it("a sweep of the workspace through the operations is paced the same way", async () => {
    const text = [
      "apiVersion: sourcelinks/v1",
      "buildService:",
      "  kind: docker-hub",
      "  oauthApps: { bitbucket: { key: ScaleConsumerKey, name: Docker Hub Builder } }",
      "providers:",
      "  bitbucket: { usernameEnv: BITBUCKET_EMAIL, tokenEnv: BITBUCKET_API_TOKEN }",
      "links: []",
      `sweeps: [{ provider: bitbucket, owner: ${BITBUCKET_SCALE_WORKSPACE} }]`,
    ].join("\n");
    const { config } = loadConfigTexts([{ file: "sweep.yaml", text }]);
    const ctx = createOperationContext(config, sandbox.env, {
      bitbucketPacing: { webhookRequestsPerHour: PER_HOUR, timeScale: TIME_SCALE },
    });
    const before = sandbox.counters();
    const found = await observeSweep(ctx, config.sweeps?.[0] ?? expect.unreachable(), new SweepLinkWorld(ctx, config.links));
    const after = sandbox.counters();

    expect(found.repositoriesSwept).toBe(REPOSITORIES);
    // Every tenth repository holds the build service's webhook and deploy key, which no link covers.
    expect(found.artifacts.filter((a) => a.kind === "repository-webhook")).toHaveLength(REPOSITORIES / 10);
    expect(after.rejections["bitbucket-webhook-data"]).toBe(before.rejections["bitbucket-webhook-data"]);
    expect(after.bitbucketWebhookData.peakWindow).toBeLessThanOrEqual(PER_HOUR);
  });
});
