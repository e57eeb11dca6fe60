// A user's Pulumi program (ESM JavaScript, run as it is) that manages the build service's GitHub
// webhooks with @pulumi/github next to the links sourcelinks declares from YAML. The stack policy
// `revoked-link-has-no-webhooks` checks both together: a RepositoryWebhook whose URL is the build
// service's, on a repository of a revoked link, is a mandatory violation until it is removed.
// In a project of your own: install sourcelinks (README: Install) with `@pulumi/pulumi @pulumi/github`, then
// `pulumi preview --refresh --policy-pack node_modules/sourcelinks/policies`.
// test/provider/github-webhooks-example.test.ts runs it under mocks and feeds the stack policy.
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { fileURLToPath } from "node:url";
import { declareFromConfig } from "sourcelinks";

/** The build service's trigger URL for one repository (Docker Hub autobuilds' form). */
const TRIGGER = "https://cloud.docker.com/api/build/v1/vcs/7c1e4b9a-2d3f-4e5a-8b6c-0d1e2f3a4b5c/trigger/call/";

/** The program: the links of the basic example, and the webhooks the team manages itself. */
export default async function program() {
  const { links } = await declareFromConfig([fileURLToPath(new URL("../basic/sourcelinks.yaml", import.meta.url))]);
  const acme = new github.Provider("acme", { owner: "acme" });
  const secret = new pulumi.Config("acme").getSecret("buildWebhookSecret");
  const hook = (name, repository) =>
    new github.RepositoryWebhook(
      name,
      { repository, events: ["push", "pull_request"], configuration: { url: TRIGGER, contentType: "json", secret } },
      { provider: acme },
    );
  // acme/api belongs to the live link acme-builds: its trigger is expected.
  const api = hook("api-build-trigger", "api");
  // acme/legacy-api belongs to legacy-builds, which is revoked: the stack policy reports this one.
  const legacy = hook("legacy-api-build-trigger", "legacy-api");
  return {
    links: Object.fromEntries(Object.entries(links).map(([name, link]) => [name, link.liveState])),
    webhooks: [api.urn, legacy.urn],
  };
}
