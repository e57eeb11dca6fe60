import { describe, expect, test } from "vitest";
import type { LinkSpec, SweepSpec } from "../../engine/model/spec.js";
import type { LinkRecord } from "../../engine/model/link-record.js";
import { compileTitlePatterns, compileUrlPatterns } from "../../engine/model/patterns.js";
import { classifySweep, exclusion, unlistedNames, type SweepLinkFacts, type SweepRead } from "../../engine/reconcile/classify-sweep.js";
import { recordKey } from "../../engine/reconcile/sharing.js";
import type { ObservedWebhook } from "../../engine/model/observed.js";

const HOOK = "https://cloud.docker.com/api/build/v1/vcs/0b6c/trigger/call/";
const urls = compileUrlPatterns(["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"]);
const titles = compileTitlePatterns(["Docker Hub Builder*"]);
const matchers = { webhooks: urls, deployKeys: titles };

const spec: SweepSpec = { name: "sweep-github-acme", provider: "github", owner: "acme", exclude: [] };

function hook(id: string, url = HOOK): ObservedWebhook {
  return { id, url, active: true, events: ["push"], hasSecret: true, insecureSsl: false, lastResponse: null };
}

function link(name: string, state: LinkSpec["state"], repositories: string[], account = `${name}-bot`): LinkSpec {
  return {
    name,
    namespace: "acme",
    provider: "github",
    account,
    serviceAccount: true,
    state,
    repositories,
    onRevoke: { webhooks: "delete", deployKeys: "delete" },
  };
}

function record(id: string, account: string, state: LinkRecord["state"]): LinkRecord {
  return { id, namespace: "acme", provider: "github", account, team: null, serviceAccount: true, state, updatedAt: "" };
}

/** One repository with one build-service webhook, classified against `facts`. */
function classifyOne(repository: string, facts: SweepLinkFacts, archived = false) {
  const read: SweepRead = {
    repositories: [{ repository, archived, webhooks: [hook("1")], deployKeys: [] }],
    excluded: 0,
    orgWebhooks: null,
  };
  return classifySweep(spec, read, facts, matchers).artifacts[0];
}

const none: SweepLinkFacts = { declared: [], records: [], recordRepositories: new Map() };

describe("classifySweep", () => {
  test("nothing names the repository: orphaned", () => {
    expect(classifyOne("acme/forgotten", none)).toEqual({
      kind: "repository-webhook",
      provider: "github",
      owner: "acme",
      repository: "acme/forgotten",
      id: "1",
      target: HOOK,
      archived: false,
      classification: "orphaned",
      links: [],
    });
  });

  test("a declared live link lists it (case-insensitively): covered, by that link", () => {
    const a = classifyOne("acme/API", { ...none, declared: [link("api", "linked", ["acme/api"])] });
    expect([a?.classification, a?.links]).toEqual(["covered", ["api"]]);
  });

  test("a disabled link still covers it: a disabled link is live", () => {
    expect(classifyOne("acme/api", { ...none, declared: [link("api", "disabled", ["acme/api"])] })?.classification).toBe("covered");
  });

  test("a live record no file declares covers it, named by namespace, id and account", () => {
    const r = record("7", "someone", "linked");
    const a = classifyOne("acme/api", { declared: [], records: [r], recordRepositories: new Map([[recordKey(r), ["acme/api"]]]) });
    expect([a?.classification, a?.links]).toEqual(["covered", ["acme/7 (someone)"]]);
  });

  test("a declared revoked link lists it: leftover, handled by that link's own revocation", () => {
    const a = classifyOne("acme/old", { ...none, declared: [link("old", "revoked", ["acme/old"])] });
    expect([a?.classification, a?.links, a?.handledBy]).toEqual(["leftover", ["old"], "old"]);
  });

  test("only an unlinked record lists it: leftover, left to the sweep", () => {
    const r = record("8", "old-bot", "revoked");
    const a = classifyOne("acme/tool", { declared: [], records: [r], recordRepositories: new Map([[recordKey(r), ["acme/tool"]]]) });
    expect([a?.classification, a?.links, a?.handledBy]).toEqual(["leftover", ["acme/8 (old-bot)"], undefined]);
  });

  test("a live record retired by a revoked declaration of its identity: leftover, handled by that declaration", () => {
    const r = record("9", "old-bot", "linked");
    const a = classifyOne("acme/tool", {
      declared: [link("old", "revoked", [], "old-bot")],
      records: [r],
      recordRepositories: new Map([[recordKey(r), ["acme/tool"]]]),
    });
    expect([a?.classification, a?.handledBy]).toEqual(["leftover", "old"]);
  });

  test("a live link wins over a revoked one on the same repository", () => {
    const a = classifyOne("acme/api", { ...none, declared: [link("old", "revoked", ["acme/api"]), link("api", "linked", ["acme/api"])] });
    expect([a?.classification, a?.links]).toEqual(["covered", ["api"]]);
  });

  test("an archived repository's artifact keeps its class and says archived", () => {
    expect(classifyOne("acme/frozen", none, true)).toMatchObject({ classification: "orphaned", archived: true });
  });

  test("foreign webhooks (look-alike hosts and paths) and foreign deploy keys are counted, never listed", () => {
    const read: SweepRead = {
      repositories: [
        {
          repository: "acme/x",
          archived: false,
          webhooks: [
            hook("1", "https://cloud.docker.com.evil.example/api/build/v1/vcs/0b6c/trigger/call/"),
            hook("2", `${HOOK}extra/`),
            hook("3"),
          ],
          deployKeys: [
            { id: "k1", title: "deploy-bot", readOnly: true },
            { id: "k2", title: "Docker Hub Builder (acme/x)", readOnly: true },
          ],
        },
      ],
      excluded: 2,
      orgWebhooks: [hook("o1"), hook("o2", "https://chat.acme.example/hooks/github")],
    };
    const observed = classifySweep(spec, read, none, matchers);
    expect(observed.artifacts.map((a) => [a.kind, a.id, a.repository, a.classification])).toEqual([
      ["repository-webhook", "3", "acme/x", "orphaned"],
      ["deploy-key", "k2", "acme/x", "orphaned"],
      ["org-webhook", "o1", null, "orphaned"],
    ]);
    expect([observed.foreignWebhookCount, observed.repositoriesSwept, observed.repositoriesExcluded]).toEqual([3, 1, 2]);
  });
});

describe("classifySweep by identity", () => {
  const read: SweepRead = {
    repositories: [{ repository: "acme/api-next", id: "42", archived: false, webhooks: [hook("1")], deployKeys: [] }],
    excluded: 0,
    orgWebhooks: null,
  };
  const facts: SweepLinkFacts = { ...none, declared: [link("api", "linked", ["acme/api"]), link("old", "revoked", ["acme/legacy"])] };

  test("a name links use that the listing does not show is listed for resolution, once, whatever its case", () => {
    const both = { ...facts, declared: [...facts.declared, link("api2", "linked", ["ACME/Api", "acme/api-next"])] };
    expect(unlistedNames(both, "github", read)).toEqual(["acme/api", "acme/legacy"]);
  });

  test("resolved to a listed repository's id: the link covers it, under the name it uses", () => {
    const resolved = new Map([["acme/api", { id: "42", repository: "acme/api-next" }]]);
    const a = classifySweep(spec, read, facts, matchers, resolved).artifacts[0];
    expect([a?.classification, a?.links]).toEqual(["covered", ["api (as acme/api)"]]);
  });

  test("a revoked link's old name resolved to it: a leftover that link's revocation handles", () => {
    const resolved = new Map([
      ["acme/api", null],
      ["acme/legacy", { id: "42", repository: "acme/api-next" }],
    ]);
    const a = classifySweep(spec, read, { ...facts, declared: [facts.declared[1]!] }, matchers, resolved).artifacts[0];
    expect([a?.classification, a?.links, a?.handledBy]).toEqual(["leftover", ["old (as acme/legacy)"], "old"]);
  });

  test("a live link's name in the owner that could not be resolved keeps what would be deleted, and says why; a name that is gone does not", () => {
    const held = classifySweep(spec, read, facts, matchers, new Map([["acme/legacy", null]])).artifacts[0];
    expect([held?.classification, held?.links]).toEqual([
      "covered",
      ["api (names acme/api, which the listing of acme does not show: kept until it is resolved)"],
    ]);
    const gone = classifySweep(spec, read, facts, matchers, new Map([["acme/api", null]])).artifacts[0];
    expect(gone?.classification).toBe("orphaned");
    // Without resolution (nothing asked yet), names alone decide.
    expect(classifySweep(spec, read, facts, matchers).artifacts[0]?.classification).toBe("orphaned");
  });
});

describe("exclusion", () => {
  test("globs match the name within the owner, case-insensitively, and never across a slash", () => {
    const s = { ...spec, exclude: ["acme/sandbox-*"] };
    expect(["acme/sandbox-x", "ACME/Sandbox-Y", "acme/sandbox-", "acme/api", "other/sandbox-x"].map(exclusion(s))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
