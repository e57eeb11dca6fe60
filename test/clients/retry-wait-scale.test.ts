/**
 * `SOURCELINKS_RETRY_WAIT_SCALE` (config/runtime.ts) reaches every client's retry waits: a rate limit
 * asking for 60 s (the longest wait the JSON transport honors) is retried after 60 ms at 1/1000, by
 * the build service's transport and by GitHub's throttling plugin alike. At full waits each read
 * would outlast the test's timeout, so the test fails without timing anything itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext, observeLink } from "../../engine/reconcile/operations.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { loadDemoConfig } from "../support/demo-config.js";

let sandbox: SandboxHandle;
let demoConfig: () => SourcelinksConfig;

beforeAll(async () => {
  demoConfig = await loadDemoConfig();
  sandbox = await startSandbox({});
});
afterAll(() => sandbox.close());

describe("SOURCELINKS_RETRY_WAIT_SCALE", () => {
  it("shortens the wait after a rate limit on the build service and on GitHub, and the read is retried", async () => {
    sandbox.injectFault({ rateLimitRate: 1, retryAfterSeconds: 60, count: 1, match: { service: "build-service", method: "GET" } });
    sandbox.injectFault({
      rateLimitRate: 1,
      retryAfterSeconds: 60,
      count: 1,
      match: { service: "github", method: "GET", pathPrefix: "/github/repos/acme/legacy-api/hooks" },
    });
    const ctx = createOperationContext(demoConfig(), { ...sandbox.env, SOURCELINKS_RETRY_WAIT_SCALE: "0.001" });
    const legacy = demoConfig().links.find((l) => l.name === "legacy-builds")!;
    const observed = await observeLink(ctx, legacy);
    expect(observed.repositories.find((r) => r.repository === "acme/legacy-api")?.webhooks).toHaveLength(1);
    // Both limits were answered, then both reads were sent again.
    expect(sandbox.counters().rejections.injected).toBe(2);
  });
});
