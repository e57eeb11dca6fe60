/** The mass-revocation guard, on plans built by hand: one happy-path plan, one change per test. */
import { describe, expect, it } from "vitest";
import type { LinkSpec } from "../../engine/model/spec.js";
import type { ObservedLink } from "../../engine/model/observed.js";
import type { PlanStep } from "../../engine/reconcile/steps/plan-step.js";
import { judgeRevocations } from "../../cli/revoke-guard.js";
import { compileTitlePatterns, compileUrlPatterns } from "../../engine/model/patterns.js";
import type { PlanRun, PlannedLinkEntry } from "../../engine/reconcile/run/entries.js";

const req = (method: "DELETE" | "POST", url: string) => ({ method, url });

function entry(name: string, state: LinkSpec["state"], linkId: string, steps: PlanStep[], hooks: string[] = []): PlannedLinkEntry {
  const spec: LinkSpec = {
    name,
    namespace: "acme",
    provider: "github",
    account: name,
    serviceAccount: true,
    state,
    repositories: ["acme/api"],
    onRevoke: { webhooks: "delete", deployKeys: "delete" },
  };
  const observed: ObservedLink = {
    name,
    provider: "github",
    namespace: "acme",
    linkId,
    state: "linked",
    account: name,
    team: null,
    serviceAccount: true,
    providerGrant: "active",
    pendingManualSteps: [],
    repositories: [
      {
        repository: "acme/api",
        exists: true,
        foreignWebhookCount: 0,
        deployKeys: [],
        webhooks: hooks.map((id) => ({
          id,
          url: "https://cloud.docker.com/api/build/v1/vcs/x/trigger/call/",
          active: true,
          events: [],
          hasSecret: true,
          insecureSsl: false,
          lastResponse: null,
        })),
      },
    ],
  };
  return { resource: "link", pointer: "/links/0", location: undefined, spec, observed, plan: { resource: "link", name, steps } };
}

const unlink = (linkId: string): PlanStep => ({
  kind: "unlink",
  request: req("DELETE", `http://bs/acme/links/${linkId}/`),
  namespace: "acme",
  linkId,
});
const deleteHook = (hookId: string): PlanStep => ({
  kind: "delete-webhook",
  request: req("DELETE", `http://gh/repos/acme/api/hooks/${hookId}`),
  provider: "github",
  repository: "acme/api",
  hookId,
  url: "https://cloud.docker.com/api/build/v1/vcs/x/trigger/call/",
});
const live = new Set(["1", "2", "3", "4"]);
const patterns = {
  webhooks: compileUrlPatterns(["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"]),
  deployKeys: compileTitlePatterns(["Docker Hub Builder*"]),
};

function run(...links: PlannedLinkEntry[]): PlanRun {
  return { files: ["a.yaml"], links, orgs: [], liveLinkIds: live };
}

describe("judgeRevocations", () => {
  it("allows revoking one of four live links (25% is not more than 25%)", () => {
    const verdict = judgeRevocations(run(entry("a", "revoked", "1", [unlink("1"), deleteHook("9")], ["9"])), live, 0.25, patterns);
    expect(verdict.refusals).toEqual([]);
    expect(verdict.ratio).toBe(0.25);
  });

  it("refuses revoking two of four live links and names them and the flag", () => {
    const verdict = judgeRevocations(
      run(entry("a", "revoked", "1", [unlink("1")]), entry("b", "revoked", "2", [unlink("2")])),
      live,
      0.25,
      patterns,
    );
    expect(verdict.refusals).toEqual([
      "refusing to revoke 2 of 4 live links (50% > 25%): a (acme/1), b (acme/2); if this is intended, rerun with --max-revoke-ratio 0.5",
    ]);
  });

  it("lets --max-revoke-ratio allow the same run", () => {
    const verdict = judgeRevocations(
      run(entry("a", "revoked", "1", [unlink("1")]), entry("b", "revoked", "2", [unlink("2")])),
      live,
      0.5,
      patterns,
    );
    expect(verdict.refusals).toEqual([]);
  });

  it("does not count retiring a superseded record of a linked team link (a replacement)", () => {
    const verdict = judgeRevocations(
      run(entry("a", "linked", "1", [unlink("2")]), entry("b", "linked", "3", [unlink("4")])),
      live,
      0.25,
      patterns,
    );
    expect(verdict.revocations).toEqual([]);
    expect(verdict.refusals).toEqual([]);
  });

  it("refuses to delete a webhook this run did not discover", () => {
    const verdict = judgeRevocations(run(entry("a", "revoked", "1", [deleteHook("77")], ["9"])), live, 1, patterns);
    expect(verdict.refusals).toEqual([
      "Refusing to delete webhook 77 on acme/api: this run did not observe it with URL https://cloud.docker.com/api/build/v1/vcs/x/trigger/call/; re-plan against this world.",
    ]);
  });
});
