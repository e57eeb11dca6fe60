/**
 * Requests whose outcome the client cannot know (no answer, a 5xx, a timeout) and requests for things
 * this run never saw. A `POST` is never resent blindly: the run looks for what it may have created
 * first. A delete is sent only for a webhook or deploy key this run observed, with the same URL or title.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deleteDeployKeyRequest } from "../../engine/reconcile/steps/delete-deploy-key.js";
import { deleteWebhookRequest } from "../../engine/reconcile/steps/delete-webhook.js";
import type { LinkSpec, SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext, executePlan, observeLink, reconcileLink, type ReconcileError } from "../../engine/reconcile/operations.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { githubRepo, linkRecords, loadDemoConfig } from "../support/demo-config.js";

const LINKS_PATH = "/build/api/build/v1/acme/links/";

let sandbox: SandboxHandle;
let demoConfig: () => SourcelinksConfig;

beforeAll(async () => {
  demoConfig = await loadDemoConfig();
  sandbox = await startSandbox({});
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  sandbox.clearFaults();
  await sandbox.reset();
  expect((await fetch(`${sandbox.baseUrl}/_sandbox/counters/reset`, { method: "POST" })).ok).toBe(true);
});

/** A new team link for acme-builder: reconciling it is one `POST`. */
function releaseLink(): LinkSpec {
  const spec = demoConfig().links.find((l) => l.name === "acme-builds");
  if (!spec) throw new Error("no acme-builds link in the demo config");
  return { ...spec, team: "release" };
}

/** `POST`s to the links endpoint since the test began. */
function postsToLinks(): number {
  return sandbox.counters().byEndpoint["POST /build/api/build/v1/:namespace/links/"] ?? 0;
}

describe("a link POST whose outcome is unknown", () => {
  it("is not sent again when its answer was lost after the link was made: the run finds and adopts it", async () => {
    sandbox.injectFault({ lostResponseRate: 1, count: 1, match: { method: "POST", pathPrefix: LINKS_PATH } });
    const { result, observed } = await reconcileLink(createOperationContext(demoConfig(), { ...sandbox.env }), releaseLink());
    expect(result.failed).toBeNull();
    expect(observed).toMatchObject({ state: "linked", account: "acme-builder", team: "release" });
    expect(postsToLinks()).toBe(1);
    expect(linkRecords(sandbox.world()).filter((r) => r.includes("/release/"))).toEqual(["github:acme-builder/release/enabled"]);
  });

  it("is sent again after a 503 only once the run has seen that no such link exists", async () => {
    sandbox.injectFault({ errorRate: 1, errorStatus: 503, count: 1, match: { method: "POST", pathPrefix: LINKS_PATH } });
    const { result } = await reconcileLink(createOperationContext(demoConfig(), { ...sandbox.env }), releaseLink());
    expect(result.failed).toBeNull();
    expect(postsToLinks()).toBe(2);
    expect(linkRecords(sandbox.world()).filter((r) => r.includes("/release/"))).toEqual(["github:acme-builder/release/enabled"]);
  });

  it("gives up after a bounded number of attempts and says what failed", async () => {
    sandbox.injectFault({ errorRate: 1, errorStatus: 503, match: { method: "POST", pathPrefix: LINKS_PATH } });
    const { result } = await reconcileLink(createOperationContext(demoConfig(), { ...sandbox.env }), releaseLink());
    expect(result.failed?.step.kind).toBe("link");
    expect(result.failed?.error.message).toContain(`POST ${sandbox.baseUrl}${LINKS_PATH} failed: HTTP 503`);
    expect(postsToLinks()).toBe(3);
    expect(linkRecords(sandbox.world()).filter((r) => r.includes("/release/"))).toEqual([]);
  });
});

describe("requests that never get an answer", () => {
  it("time out at the configured limit and are retried when safe: a GitHub read held for an hour costs one timeout", async () => {
    // The sandbox holds the answer far longer than the test may run: only the client's own timeout
    // can end the wait (the hold ends when the client closes the connection), so a client without
    // one fails this test by its test timeout, however loaded the machine, without timing anything here.
    sandbox.injectFault({
      timeoutRate: 1,
      timeoutMs: 3_600_000,
      count: 1,
      match: { service: "github", method: "GET", pathPrefix: "/github/repos/acme/legacy-api/hooks" },
    });
    const ctx = createOperationContext(demoConfig(), { ...sandbox.env, SOURCELINKS_HTTP_TIMEOUT: "0.3" });
    const legacy = demoConfig().links.find((l) => l.name === "legacy-builds")!;
    const observed = await observeLink(ctx, legacy);
    expect(observed.repositories.find((r) => r.repository === "acme/legacy-api")?.webhooks).toHaveLength(1);
    expect(sandbox.counters().byStatus["0"]).toBe(1);
  });

  it("rejects a timeout setting that is not a number of seconds", () => {
    expect(() => createOperationContext(demoConfig(), { ...sandbox.env, SOURCELINKS_HTTP_TIMEOUT: "soon" })).toThrow(
      'SOURCELINKS_HTTP_TIMEOUT must be plain decimal seconds from 0.1 to 3600 (e.g. 30 or 2.5), got "soon".',
    );
  });
});

describe("deleting only what this run observed", () => {
  it("refuses to delete a build-service webhook this run did not observe, and one whose URL changed since", async () => {
    const legacy = demoConfig().links.find((l) => l.name === "legacy-builds")!;
    const hook = githubRepo(sandbox.world(), "acme/legacy-web").hooks.find((h) => h.config.url.startsWith("https://cloud.docker.com/"))!;
    const fresh = createOperationContext(demoConfig(), { ...sandbox.env });
    const step = {
      kind: "delete-webhook" as const,
      request: deleteWebhookRequest("github", fresh.apis.github!, "acme/legacy-web", String(hook.id)),
      provider: "github" as const,
      repository: "acme/legacy-web",
      hookId: String(hook.id),
      url: hook.config.url,
    };
    const unseen = await executePlan(fresh, { resource: "link", name: "legacy-builds", steps: [step] });
    expect((unseen.failed?.error as ReconcileError).code).toBe("unobserved");
    expect(unseen.failed?.error.message).toBe(
      `Refusing to delete webhook ${hook.id} on acme/legacy-web: this run did not observe it with URL ${hook.config.url}; re-plan against this world.`,
    );

    await observeLink(fresh, legacy);
    const otherUrl = "https://cloud.docker.com/api/build/v1/vcs/00000000-0000-4000-8000-000000000000/trigger/call/";
    const edited = await executePlan(fresh, { resource: "link", name: "legacy-builds", steps: [{ ...step, url: otherUrl }] });
    expect((edited.failed?.error as ReconcileError).code).toBe("unobserved");
    expect(githubRepo(sandbox.world(), "acme/legacy-web").hooks.map((h) => h.id)).toContain(hook.id);

    const observedThen = await executePlan(fresh, { resource: "link", name: "legacy-builds", steps: [step] });
    expect(observedThen.failed).toBeNull();
    expect(githubRepo(sandbox.world(), "acme/legacy-web").hooks.map((h) => h.id)).not.toContain(hook.id);
  });

  it("refuses to delete a deploy key this run did not observe", async () => {
    const key = githubRepo(sandbox.world(), "acme/legacy-api").keys[0]!;
    const fresh = createOperationContext(demoConfig(), { ...sandbox.env });
    const result = await executePlan(fresh, {
      resource: "link",
      name: "legacy-builds",
      steps: [
        {
          kind: "delete-deploy-key",
          request: deleteDeployKeyRequest("github", fresh.apis.github!, "acme/legacy-api", String(key.id)),
          provider: "github",
          repository: "acme/legacy-api",
          keyId: String(key.id),
          title: key.title,
        },
      ],
    });
    expect((result.failed?.error as ReconcileError).code).toBe("unobserved");
    expect(githubRepo(sandbox.world(), "acme/legacy-api").keys.map((k) => k.id)).toEqual([key.id]);
  });
});
