/**
 * `orgAccessLinks`: an org access entry carries only the links that concern its org, so editing a
 * link of another org does not change (and update) every org access resource.
 */
import { describe, expect, it } from "vitest";
import type { LinkSpec, SourcelinksConfig } from "../../engine/model/spec.js";
import { orgAccessLinks } from "../../provider/declare.js";

function link(name: string, repositories: string[], change: Partial<LinkSpec> = {}): LinkSpec {
  return {
    name,
    namespace: "acme",
    provider: "github",
    account: `${name}-bot`,
    serviceAccount: true,
    state: "linked",
    repositories,
    onRevoke: { webhooks: "delete", deployKeys: "delete" },
    ...change,
  };
}

const config = {
  links: [
    link("acme-builds", ["acme/api"], { aliases: ["builds"], onDelete: "revoke" }),
    link("widgets-builds", ["widgets/app"]),
    link("mobile-builds", ["acme/mobile"], { provider: "bitbucket" }),
  ],
} as unknown as SourcelinksConfig;

describe("orgAccessLinks", () => {
  it("carries the app's links with a repository in the org, without their resource options", () => {
    expect(orgAccessLinks(config, { org: "acme", app: "github" })).toEqual([link("acme-builds", ["acme/api"])]);
    expect(orgAccessLinks(config, { org: "Widgets", app: "github" }).map((l) => l.name)).toEqual(["widgets-builds"]);
  });

  it("falls back to every link of the app's provider when none has a repository in the org (any live link can set access)", () => {
    expect(orgAccessLinks(config, { org: "contractor-co", app: "github" }).map((l) => l.name)).toEqual(["acme-builds", "widgets-builds"]);
  });
});
