/**
 * The executor sends each step's planned request as it is, so it first refuses a step whose request
 * does not address what the step names (a hand-edited or foreign plan): another webhook than the one
 * named, another host, a created link's step aimed at an existing link. Nothing is sent for it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import {
  createOperationContext,
  executePlan,
  observeLink,
  planLink,
  type OperationContext,
  type ReconcileError,
} from "../../engine/reconcile/operations.js";
import { deleteWebhookRequest } from "../../engine/reconcile/steps/delete-webhook.js";
import type { ApiStep, PlanStep } from "../../engine/reconcile/steps/plan-step.js";
import { setLinkStateRequest } from "../../engine/reconcile/steps/set-state.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { githubRepo, linkRecords, loadDemoConfig } from "../support/demo-config.js";

let sandbox: SandboxHandle;
let demoConfig: () => SourcelinksConfig;

beforeAll(async () => {
  demoConfig = await loadDemoConfig();
  sandbox = await startSandbox({});
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await sandbox.reset();
  expect((await fetch(`${sandbox.baseUrl}/_sandbox/counters/reset`, { method: "POST" })).ok).toBe(true);
});

/** Writes the sandbox answered since the test began. */
function writes(): number {
  const counts = sandbox.counters().byEndpoint;
  return Object.entries(counts)
    .filter(([endpoint]) => !endpoint.startsWith("GET ") && !endpoint.startsWith("POST /github/graphql"))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** The webhook ids on a repository of the demo world. */
function hookIds(repository: string): string[] {
  return githubRepo(sandbox.world(), repository).hooks.map((h) => String(h.id));
}

/** A context that observed the demo's revoked link, and the webhook deletions its plan holds. */
async function observedLegacy(): Promise<{ ctx: OperationContext; deletions: Extract<ApiStep, { kind: "delete-webhook" }>[] }> {
  const ctx = createOperationContext(demoConfig(), { ...sandbox.env });
  const legacy = demoConfig().links.find((l) => l.name === "legacy-builds")!;
  const plan = planLink(legacy, await observeLink(ctx, legacy), ctx);
  const deletions = plan.steps.filter((s): s is Extract<ApiStep, { kind: "delete-webhook" }> => s.kind === "delete-webhook");
  // Two observed webhooks of the build service: one step may not carry the other's request.
  expect(deletions.length).toBeGreaterThanOrEqual(2);
  return { ctx, deletions };
}

async function runOne(ctx: OperationContext, step: PlanStep): Promise<ReconcileError | null> {
  const before = writes();
  const result = await executePlan(ctx, { resource: "link", name: "legacy-builds", steps: [step] });
  expect(writes()).toBe(before);
  return (result.failed?.error as ReconcileError | undefined) ?? null;
}

describe("a step is sent only with the request its fields address", () => {
  it("refuses a webhook deletion whose request deletes another observed webhook, and deletes neither", async () => {
    const { ctx, deletions } = await observedLegacy();
    const [named, other] = deletions as [(typeof deletions)[0], (typeof deletions)[0]];
    const hooksBefore = [...hookIds(named.repository), ...hookIds(other.repository)];
    expect(hooksBefore).toEqual(expect.arrayContaining([named.hookId, other.hookId]));
    const error = await runOne(ctx, { ...named, request: other.request });
    expect(error?.code).toBe("request-mismatch");
    expect(error?.message).toBe(
      `The plan described DELETE ${other.request.url} for this delete-webhook step, but it would send DELETE ${named.request.url}: re-plan against this world.`,
    );
    expect([...hookIds(named.repository), ...hookIds(other.repository)]).toEqual(hooksBefore);
  });

  it("refuses a webhook deletion whose request names another hook id on the same repository", async () => {
    const { ctx, deletions } = await observedLegacy();
    const named = deletions[0]!;
    const request = deleteWebhookRequest("github", ctx.apis.github!, named.repository, `${named.hookId}0`);
    expect((await runOne(ctx, { ...named, request }))?.code).toBe("request-mismatch");
    expect(hookIds(named.repository)).toContain(named.hookId);
  });

  it("refuses a webhook deletion whose request goes to another host, though it reaches the same server", async () => {
    const { ctx, deletions } = await observedLegacy();
    const named = deletions[0]!;
    const url = new URL(named.request.url);
    url.hostname = "localhost";
    expect((await runOne(ctx, { ...named, request: { method: "DELETE", url: url.href } }))?.code).toBe("request-mismatch");
    expect(hookIds(named.repository)).toContain(named.hookId);
  });

  it("refuses a step on the link a preceding step creates whose request names an existing link instead", async () => {
    const ctx = createOperationContext(demoConfig(), { ...sandbox.env });
    const records = linkRecords(sandbox.world());
    const existing = sandbox.world().buildService.links.find((l) => l.namespace === "acme" && l.state === "enabled")!;
    const step: PlanStep = {
      kind: "set-state",
      request: setLinkStateRequest(ctx.apis.buildService!, "acme", existing.id),
      namespace: "acme",
      linkId: "",
      state: "disabled",
    };
    expect((await runOne(ctx, step))?.code).toBe("request-mismatch");
    expect(linkRecords(sandbox.world())).toEqual(records);
  });
});
