import { describe, expect, it } from "vitest";
import { BUILD_HOOK_URL, happyStack, hook, link, messagesOf, observedOf, violationsOf } from "./fixtures.js";

const APPLY = "run sourcelinks apply (or pulumi up)";

describe("revoked-link-has-no-webhooks", () => {
  it("passes the happy path", () => {
    expect(violationsOf(happyStack(), "revoked-link-has-no-webhooks")).toEqual([]);
  });

  it("reports a build-service webhook left on a revoked link's repository, with its pointer", () => {
    const stack = happyStack();
    observedOf(stack, "legacy-builds").repositories[0]!.webhooks.push(hook("1234"));
    expect(violationsOf(stack, "revoked-link-has-no-webhooks")).toEqual([
      {
        ruleId: "revoked-link-has-no-webhooks",
        enforcement: "mandatory",
        resource: "legacy-builds",
        subject: "acme/legacy-api",
        message: `link "legacy-builds" is revoked but the build service's webhook 1234 (${BUILD_HOOK_URL}) is still on acme/legacy-api: ${APPLY} to delete it`,
        fix: `${APPLY} to delete it`,
        pointer: "/links/1/repositories/0",
      },
    ]);
  });

  it("names onRevoke in the fix when the link keeps deploy keys", () => {
    const stack = happyStack();
    link(stack, "legacy-builds").desired.onRevoke.deployKeys = "keep";
    observedOf(stack, "legacy-builds").repositories[1]!.deployKeys.push({
      id: "77",
      title: "Docker Hub Builder legacy-web",
      readOnly: true,
    });
    expect(messagesOf(stack, "revoked-link-has-no-webhooks")).toEqual([
      [
        "mandatory",
        `link "legacy-builds" is revoked but the build service's deploy key 77 ("Docker Hub Builder legacy-web") is still on acme/legacy-web: set onRevoke.deployKeys: delete and ${APPLY}`,
      ],
    ]);
  });

  it("without observed state, reports onRevoke: keep per repository", () => {
    const stack = happyStack();
    link(stack, "legacy-builds").observed = undefined;
    link(stack, "legacy-builds").desired.onRevoke.webhooks = "keep";
    expect(violationsOf(stack, "revoked-link-has-no-webhooks").map((v) => [v.subject, v.message, v.pointer])).toEqual([
      [
        "acme/legacy-api",
        `link "legacy-builds" is revoked with onRevoke.webhooks: keep, so the build service's webhooks stay on acme/legacy-api: set onRevoke.webhooks: delete and ${APPLY}`,
        "/links/1/onRevoke/webhooks",
      ],
      [
        "acme/legacy-web",
        `link "legacy-builds" is revoked with onRevoke.webhooks: keep, so the build service's webhooks stay on acme/legacy-web: set onRevoke.webhooks: delete and ${APPLY}`,
        "/links/1/onRevoke/webhooks",
      ],
    ]);
  });

  it("reports a @pulumi/github RepositoryWebhook pointing at the build service on a revoked link's repository (bare name)", () => {
    const stack = happyStack();
    stack.githubWebhooks.push({
      resourceName: "legacy-hook",
      type: "github:index/repositoryWebhook:RepositoryWebhook",
      repository: "legacy-web",
      url: BUILD_HOOK_URL,
      hasSecret: true,
    });
    expect(violationsOf(stack, "revoked-link-has-no-webhooks")).toEqual([
      {
        ruleId: "revoked-link-has-no-webhooks",
        enforcement: "mandatory",
        resource: "legacy-hook",
        subject: "acme/legacy-web",
        message: `@pulumi/github RepositoryWebhook "legacy-hook" points the build service's webhook URL ${BUILD_HOOK_URL} at acme/legacy-web, a repository of revoked link "legacy-builds": remove the RepositoryWebhook resource from the Pulumi program and run pulumi up`,
        fix: "remove the RepositoryWebhook resource from the Pulumi program and run pulumi up",
        pointer: "/links/1/repositories/1",
      },
    ]);
  });

  it("reports an OrganizationWebhook on the org of a revoked link", () => {
    const stack = happyStack();
    stack.githubWebhooks.push({
      resourceName: "org-hook",
      type: "github:index/organizationWebhook:OrganizationWebhook",
      org: "ACME",
      url: "https://registry.hub.docker.com/hooks/github",
    });
    const patterns = { webhookUrlPatterns: ["https://registry.hub.docker.com/hooks/github"] };
    stack.webhookUrlPatterns = patterns.webhookUrlPatterns;
    expect(messagesOf(stack, "revoked-link-has-no-webhooks")).toEqual([
      [
        "mandatory",
        '@pulumi/github OrganizationWebhook "org-hook" points the build service\'s webhook URL https://registry.hub.docker.com/hooks/github at org acme, an org of revoked link "legacy-builds": remove the OrganizationWebhook resource from the Pulumi program and run pulumi up',
      ],
    ]);
  });

  it("reports an unknown webhook URL on a revoked link's repository as advisory", () => {
    const stack = happyStack();
    stack.githubWebhooks[0]!.url = undefined;
    expect(messagesOf(stack, "revoked-link-has-no-webhooks")).toEqual([
      [
        "advisory",
        '@pulumi/github RepositoryWebhook "legacy-api-ci" on acme/legacy-api, a repository of revoked link "legacy-builds", cannot be checked until apply because its URL is unknown during preview: run pulumi up, then sourcelinks check --live (or pulumi preview) to verify',
      ],
    ]);
  });
});

describe("revocation-is-two-sided", () => {
  it("passes the happy path", () => {
    expect(violationsOf(happyStack(), "revocation-is-two-sided")).toEqual([]);
  });

  it("reports a revoked link that is still live on the build service", () => {
    const stack = happyStack();
    observedOf(stack, "legacy-builds").state = "linked";
    expect(violationsOf(stack, "revocation-is-two-sided").map((v) => [v.subject, v.message, v.pointer])).toEqual([
      [
        "acme",
        `link "legacy-builds" is revoked in the config but still linked on the build service in namespace acme: ${APPLY} to unlink it`,
        "/links/1/state",
      ],
    ]);
  });

  it("reports a provider grant that is still active", () => {
    const stack = happyStack();
    observedOf(stack, "legacy-builds").providerGrant = "active";
    expect(messagesOf(stack, "revocation-is-two-sided")).toEqual([
      [
        "mandatory",
        `link "legacy-builds" is revoked but the github OAuth grant of "legacy-builder" to the build service's app is still active: set buildService.oauthApps.github.clientSecretEnv and ${APPLY} so the grant is revoked by API, or have "legacy-builder" revoke it at GitHub → Settings → Applications → Authorized OAuth Apps (https://github.com/settings/applications)`,
      ],
    ]);
  });

  it("reports an unverifiable grant without a recorded manual step, and accepts one with it", () => {
    const stack = happyStack();
    observedOf(stack, "legacy-builds").providerGrant = "unverifiable";
    expect(messagesOf(stack, "revocation-is-two-sided")).toEqual([
      [
        "mandatory",
        `link "legacy-builds" is revoked but whether the github OAuth grant of "legacy-builder" is revoked cannot be verified and no manual step is recorded: set buildService.oauthApps.github.clientSecretEnv and ${APPLY} so the grant is revoked by API, or have "legacy-builder" revoke it at GitHub → Settings → Applications → Authorized OAuth Apps (https://github.com/settings/applications)`,
      ],
    ]);
    observedOf(stack, "legacy-builds").pendingManualSteps.push({
      id: "revoke-grant:github:legacy-builder",
      summary: "revoke the Docker Hub Builder authorization of legacy-builder",
      uiPath: "GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke",
      url: "https://github.com/settings/applications",
    });
    expect(violationsOf(stack, "revocation-is-two-sided")).toEqual([]);
  });
});

describe("what other live links keep", () => {
  it("revoked-link-has-no-webhooks does not report leftovers on a repository another live link builds from", () => {
    const stack = happyStack();
    const legacy = observedOf(stack, "legacy-builds");
    legacy.repositories[0] = {
      ...legacy.repositories[0]!,
      webhooks: [hook("31")],
      deployKeys: [{ id: "32", title: "Docker Hub Builder", readOnly: true }],
      coveredBy: ['"acme-builds" (namespace acme)'],
    };
    expect(violationsOf(stack, "revoked-link-has-no-webhooks")).toEqual([]);
  });

  it("revocation-is-two-sided does not ask to revoke a grant other live links use", () => {
    const stack = happyStack();
    const legacy = observedOf(stack, "legacy-builds");
    legacy.providerGrant = "active";
    legacy.grantSharedWith = ['"acme-builds" (namespace acme)'];
    expect(violationsOf(stack, "revocation-is-two-sided")).toEqual([]);
  });
});
