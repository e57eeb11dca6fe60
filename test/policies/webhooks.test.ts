import { describe, expect, it } from "vitest";
import { BUILD_HOOK_URL, happyStack, hook, link, messagesOf, observedOf, violationsOf } from "./fixtures.js";

describe("disabled-link-webhooks-inactive", () => {
  it("passes the happy path", () => {
    expect(violationsOf(happyStack(), "disabled-link-webhooks-inactive")).toEqual([]);
  });

  it("reports an active webhook of a disabled link as advisory", () => {
    const stack = happyStack();
    observedOf(stack, "mobile-builds").repositories[0]!.webhooks[0]!.active = true;
    expect(violationsOf(stack, "disabled-link-webhooks-inactive")).toEqual([
      {
        ruleId: "disabled-link-webhooks-inactive",
        enforcement: "advisory",
        resource: "mobile-builds",
        subject: "acme-team/mobile",
        message: `link "mobile-builds" is disabled but the build service's webhook 301 (${BUILD_HOOK_URL}) on acme-team/mobile is still active, so pushes still reach the build service: deactivate the webhook in the repository's webhook settings, or set state: revoked if the link is no longer needed`,
        fix: "deactivate the webhook in the repository's webhook settings, or set state: revoked if the link is no longer needed",
        pointer: "/links/2/repositories/0",
      },
    ]);
  });

  it("cannot decide during preview", () => {
    const stack = happyStack();
    link(stack, "mobile-builds").observed = "unknown";
    expect(messagesOf(stack, "disabled-link-webhooks-inactive")).toEqual([
      [
        "advisory",
        'link "mobile-builds" is disabled; whether its webhooks on acme-team/mobile still deliver cannot be checked until apply: run pulumi up, then sourcelinks check --live (or pulumi preview) to verify',
      ],
    ]);
  });
});

describe("webhook-hygiene", () => {
  it("passes the happy path", () => {
    expect(violationsOf(happyStack(), "webhook-hygiene")).toEqual([]);
  });

  it("reports a build-service webhook without a secret", () => {
    const stack = happyStack();
    observedOf(stack, "acme-builds").repositories[1]!.webhooks[0]!.hasSecret = false;
    expect(messagesOf(stack, "webhook-hygiene")).toEqual([
      [
        "advisory",
        `link "acme-builds": the build service's webhook 102 (${BUILD_HOOK_URL}) on acme/web has no secret, so anyone who knows the URL can trigger builds: set a secret on the webhook in acme/web's webhook settings (GitHub: Settings → Webhooks → Edit → Secret; Bitbucket: Repository settings → Webhooks → Edit → Secret), so deliveries are signed`,
      ],
    ]);
  });

  it("reports insecure_ssl", () => {
    const stack = happyStack();
    observedOf(stack, "acme-builds").repositories[0]!.webhooks[0]!.insecureSsl = true;
    expect(messagesOf(stack, "webhook-hygiene")).toEqual([
      [
        "advisory",
        `link "acme-builds": the build service's webhook 101 (${BUILD_HOOK_URL}) on acme/api has insecure_ssl: 1, so deliveries do not verify TLS certificates: turn SSL verification back on for the webhook in acme/api's webhook settings (GitHub: Settings → Webhooks → Edit → Enable SSL verification; Bitbucket: Repository settings → Webhooks → Edit → uncheck Skip certificate verification)`,
      ],
    ]);
  });

  it("reports a build-service webhook on a repository no link declares, unless allowed", () => {
    const stack = happyStack();
    observedOf(stack, "acme-builds").repositories.push({
      repository: "acme/old",
      exists: true,
      webhooks: [hook("999")],
      deployKeys: [],
      foreignWebhookCount: 0,
    });
    expect(violationsOf(stack, "webhook-hygiene").map((v) => [v.subject, v.message, v.pointer])).toEqual([
      [
        "acme/old",
        `link "acme-builds": the build service's webhook 999 (${BUILD_HOOK_URL}) is on acme/old, which no link declares: add acme/old to the repositories of link "acme-builds" (or to allowedRepositories), or delete the webhook`,
        "/links/0/repositories",
      ],
    ]);
    stack.allowedRepositories = ["acme/o*"];
    expect(violationsOf(stack, "webhook-hygiene")).toEqual([]);
  });

  it("reports a @pulumi/github build-service webhook on an undeclared repository", () => {
    const stack = happyStack();
    stack.githubWebhooks[1]!.repository = "acme/tools";
    expect(messagesOf(stack, "webhook-hygiene")).toEqual([
      [
        "advisory",
        `@pulumi/github RepositoryWebhook "api-builds" adds the build service's webhook ${BUILD_HOOK_URL} to acme/tools, which no link declares: declare acme/tools in a link's repositories (or in allowedRepositories), or remove the resource`,
      ],
    ]);
  });

  it("reports a @pulumi/github build-service webhook without a secret", () => {
    const stack = happyStack();
    stack.githubWebhooks[1]!.hasSecret = false;
    expect(messagesOf(stack, "webhook-hygiene")).toEqual([
      [
        "advisory",
        '@pulumi/github RepositoryWebhook "api-builds" on acme/api is a build-service webhook without a secret: set configuration.secret (from pulumi config --secret)',
      ],
    ]);
  });

  it("leaves foreign webhooks alone", () => {
    const stack = happyStack();
    stack.githubWebhooks[0]!.hasSecret = false;
    stack.githubWebhooks[0]!.repository = "acme/undeclared";
    expect(violationsOf(stack, "webhook-hygiene")).toEqual([]);
  });
});
