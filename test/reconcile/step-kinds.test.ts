/** The step kinds' registry against the documented plan format, and the one description every face uses. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { deleteOrgWebhookKind } from "../../engine/reconcile/steps/delete-org-webhook.js";
import { deleteWebhookKind, deleteWebhookRequest } from "../../engine/reconcile/steps/delete-webhook.js";
import { STEP_KINDS, describeStep } from "../../engine/reconcile/steps/registry.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

interface KindRule {
  if: { properties: { kind: { const: string } } };
  then: { properties: { category: { const: string } } };
}
interface PlanSchema {
  definitions: {
    step: { properties: { kind: { enum: string[] } }; allOf: KindRule[] };
    resource: { properties: { sentBy: { items: { properties: { kind: { enum: string[] } } } } } };
  };
}

const schema = JSON.parse(readFileSync(join(ROOT, "schema/plan.schema.json"), "utf8")) as PlanSchema;

describe("the step kinds' registry", () => {
  it("lists exactly the kinds the plan schema documents, each under the category the schema gives it", () => {
    const { step } = schema.definitions;
    expect(STEP_KINDS.map((k) => k.kind).sort()).toEqual([...step.properties.kind.enum].sort());
    const categories = Object.fromEntries(step.allOf.map((rule) => [rule.if.properties.kind.const, rule.then.properties.category.const]));
    expect(Object.fromEntries(STEP_KINDS.map((k) => [k.kind, k.category]))).toEqual(categories);
  });

  it("lets the plan schema show as sent by another resource every kind two resources can share", () => {
    const shared = STEP_KINDS.filter((k) => "sharedKey" in k).map((k) => k.kind);
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.sort()).toEqual([...schema.definitions.resource.properties.sentBy.items.properties.kind.enum].sort());
  });
});

describe("one description of a step", () => {
  const target = "https://cloud.docker.com/api/build/v1/vcs/0b6c/trigger/call/";

  it("names a webhook's target in a plan, and leaves it out where the text lands in Pulumi state or errors", () => {
    const step = {
      kind: "delete-webhook" as const,
      request: deleteWebhookRequest("github", "http://127.0.0.1:1/github", "acme/api", "7"),
      provider: "github" as const,
      repository: "acme/api",
      hookId: "7",
      url: target,
    };
    expect(describeStep(step)).toBe(`delete webhook 7 on acme/api (${target})`);
    expect(describeStep(step, { showTargets: false })).toBe("delete webhook 7 on acme/api");
    expect(deleteWebhookKind.describe(step, { showTargets: false })).not.toContain(target);
    const org = {
      kind: "delete-org-webhook" as const,
      request: step.request,
      provider: "github" as const,
      org: "acme",
      hookId: "9",
      url: target,
    };
    expect(deleteOrgWebhookKind.describe(org, { showTargets: true })).toBe(`delete webhook 9 of org acme (${target})`);
    expect(deleteOrgWebhookKind.describe(org, { showTargets: false })).toBe("delete webhook 9 of org acme");
  });
});
