/**
 * examples/pulumi-github: a user's program managing `@pulumi/github` RepositoryWebhooks next to the
 * links, run under mocks; its registrations feed the sourcelinks stack policy as the engine would
 * send them to AnalyzeStack. The build service's webhook on the revoked link's repository is reported
 * (naming the resource and the repository); the one on a live link's repository is not.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import type * as Library from "../../policies/library.js";
import { BUILD_TIMEOUT_MS, ensureBuilt, type RawRegistration, requireDist, setRecordingMocks } from "../support/provider-dist.js";
import { projectRoot } from "../support/engine-harness.js";

const require = createRequire(import.meta.url);

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider: string;
}

const registered: Registered[] = [];
const violations: { message: string; urn: string | undefined }[] = [];

function urnOf(r: { type: string; name: string }): string {
  return `urn:pulumi:dev::acme-links::${r.type}::${r.name}`;
}

/** The engine's AnalyzeStack view of one registered resource (outputs = inputs under these mocks). */
function policyResource(r: Registered): PolicyResource {
  const providerName = r.provider.split("::")[3]?.split("::")[0];
  const provider = registered.find((p) => p.type.startsWith("pulumi:providers:") && p.name === providerName);
  return {
    type: r.type,
    name: r.name,
    urn: urnOf(r),
    props: r.inputs,
    provider: provider ? { type: provider.type, name: provider.name, urn: urnOf(provider), props: provider.inputs } : undefined,
  } as unknown as PolicyResource;
}

beforeAll(async () => {
  await ensureBuilt();
  const records: RawRegistration[] = [];
  await setRecordingMocks(
    {
      newResource: (args) => {
        registered.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          provider: args.provider ?? "",
        });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    records,
    { preview: false, project: "acme-links" },
  );
  const program = require(join(projectRoot, "examples/pulumi-github/index.js")) as {
    default: () => Promise<{ links: Record<string, pulumi.Output<string>>; webhooks: pulumi.Output<string>[] }>;
  };
  const outputs = await program.default();
  const settled = (o: pulumi.Output<unknown>): Promise<unknown> => new Promise((resolve) => o.apply(resolve));
  await Promise.all([...Object.values(outputs.links), ...outputs.webhooks].map(settled));
  const { sourcelinksPolicies } = requireDist<typeof Library>("policies/library.js");
  const policy = sourcelinksPolicies().find((p) => p.name === "revoked-link-has-no-webhooks-stack") as StackValidationPolicy;
  const resources = registered.filter((r) => !r.type.startsWith("pulumi:providers:")).map(policyResource);
  const args = {
    resources,
    getConfig: () => ({}),
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason}`);
    },
  } as unknown as StackValidationArgs;
  await policy.validateStack(args, (message: string, urn?: string) => violations.push({ message, urn }));
}, BUILD_TIMEOUT_MS);

describe("examples/pulumi-github under mocks, judged by the stack policy", () => {
  it("registers the links and the two RepositoryWebhooks with their GitHub provider", () => {
    expect(
      registered
        .filter((r) => r.type === "github:index/repositoryWebhook:RepositoryWebhook")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["api-build-trigger", "legacy-api-build-trigger"]);
    expect(registered.filter((r) => r.type === "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink")).toHaveLength(3);
  });

  it("reports the build service's webhook on the revoked link's repository, and only that one", () => {
    expect(violations).toEqual([
      {
        message:
          '@pulumi/github RepositoryWebhook "legacy-api-build-trigger" points the build service\'s webhook URL https://cloud.docker.com/api/build/v1/vcs/7c1e4b9a-2d3f-4e5a-8b6c-0d1e2f3a4b5c/trigger/call/ at acme/legacy-api, a repository of revoked link "legacy-builds": remove the RepositoryWebhook resource from the Pulumi program and run pulumi up',
        urn: urnOf({ type: "github:index/repositoryWebhook:RepositoryWebhook", name: "legacy-api-build-trigger" }),
      },
    ]);
  });
});
