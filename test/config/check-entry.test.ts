import { describe, expect, test } from "vitest";
import { checkLinkInput, checkOrgAccessInput } from "../../engine/config/index.js";

const link = { name: "acme-builds", namespace: "acme", provider: "github", account: "acme-builder", serviceAccount: true };

describe("checkLinkInput", () => {
  test("a valid link gets the schema's defaults, and the input is left untouched", () => {
    const input = { ...link };
    expect(checkLinkInput(input)).toEqual({
      ok: true,
      value: { ...link, state: "linked", repositories: [], onRevoke: { webhooks: "delete", deployKeys: "delete" } },
    });
    expect(input).toEqual(link);
  });

  test("schema failures name the property and say what to do", () => {
    const result = checkLinkInput({ ...link, account: undefined, state: "enabled", repositories: ["acme/api", "api"], extra: 1 });
    expect(result).toEqual({
      ok: false,
      failures: [
        { property: "account", reason: 'is missing required key "account": set the provider login the link authorizes' },
        {
          property: "extra",
          reason:
            'has unknown key "extra": allowed keys are name, namespace, team, provider, account, serviceAccount, state, repositories, onRevoke, onDelete, onRelink, aliases, manualSteps',
        },
        { property: "state", reason: 'must be one of linked, disabled, revoked, not "enabled"' },
        {
          property: "repositories[1]",
          reason: 'must be a repository written owner/name (GitHub) or workspace/slug (Bitbucket), not "api"',
        },
      ],
    });
  });

  test("a team link through a person's account passes (team-link-uses-service-account is a policy)", () => {
    expect(checkLinkInput({ ...link, team: "ci", serviceAccount: false })).toMatchObject({
      ok: true,
      value: { team: "ci", serviceAccount: false },
    });
  });
});

describe("checkOrgAccessInput", () => {
  test("defaults provider and app to github", () => {
    expect(checkOrgAccessInput({ org: "acme", access: "denied" })).toEqual({
      ok: true,
      value: { org: "acme", provider: "github", app: "github", access: "denied" },
    });
  });

  test("a non-mapping input fails as a whole", () => {
    expect(checkOrgAccessInput("acme")).toEqual({ ok: false, failures: [{ property: "", reason: "must be a mapping, not a string" }] });
  });
});
