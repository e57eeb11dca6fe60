/**
 * The report's pure half: the builder over constructed observations (sweeps included, before the live
 * sweep lands), the renderers, the markdown cap at any size, HTML escaping, the merge and the dates.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { buildReport, type ReportInput } from "../../cli/report/build.js";
import { daysBetween, parseIsoDate } from "../../cli/report/days-left.js";
import { mergeReports } from "../../cli/report/merge.js";
import type { RetirementReport } from "../../cli/report/model.js";
import { parseReport } from "../../cli/report/parse.js";
import { renderReportHtml } from "../../cli/report/render-html.js";
import { renderReportJson } from "../../cli/report/render-json.js";
import { renderReportMarkdown } from "../../cli/report/render-markdown.js";
import { GITHUB_COMMENT_LIMIT } from "../../cli/format/markdown-budget.js";
import { CliError } from "../../cli/exit-codes.js";
import { sampleReportInput } from "../../tools/demo/report-sample.js";
import { ROOT } from "../support/cli-harness.js";

const validateReport = new Ajv2020({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(ROOT, "schema/report.schema.json"), "utf8")) as object,
);

function valid(report: unknown): void {
  const ok = validateReport(report);
  expect(validateReport.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

describe("buildReport", () => {
  it("counts links, grants, artifacts by state, manual steps and org access, with the days left", () => {
    const report = buildReport(sampleReportInput("2026-11-26"));
    valid(JSON.parse(renderReportJson(report)));
    expect(report.daysLeft).toBe(126);
    expect(report.summary).toMatchObject({
      links: { linked: 1, disabled: 1, revoked: 2, absent: 1, unknown: 0 },
      grants: { active: 2, revoked: 2, unverifiable: 1 },
      // A disabled link's artifacts are leftovers; a linked link's are in use; the sweeps' orphans (an org hook among them).
      artifacts: { "in-use": 4, leftover: 6, orphaned: 13 },
      // The org's step, and the sweep's two archived repositories to unarchive: one ledger.
      manualSteps: { open: 3, done: 1, observedOtherwise: 0 },
      orgAccess: { granted: 1, denied: 1, requested: 1, unknown: 0 },
      retired: false,
    });
    expect(report.summary.notProven.map((n) => n.reason)).toEqual([
      "live-links",
      "active-grants",
      "artifacts-left",
      "owners-not-swept",
      "open-manual-steps",
    ]);
    expect(report.summary.facts.recordedByHand).toEqual([
      "link legacy-builds: revoke-grant:github:legacy-builder, done 2026-11-20 by jdoe",
    ]);
    expect(report.namespaces.map((n) => [n.namespace, n.links.map((l) => l.name)])).toEqual([
      ["acme", ["acme-builds", "legacy-builds", "mobile-builds"]],
      ["acme-data", ["data-builds", "docs-builds"]],
    ]);
    const acme = report.owners.find((o) => o.owner === "acme")!;
    expect(acme.sweeps).toMatchObject([{ name: "acme", repositoriesSwept: 412, repositoriesExcluded: 6, foreignWebhookCount: 57 }]);
    expect(acme.sweeps[0]!.manualSteps.map((m) => [m.id, m.status])).toEqual([
      ["unarchive:github:acme:service-0003", "open"],
      ["unarchive:github:acme:service-0007", "open"],
    ]);
    expect(acme.artifacts.find((a) => a.kind === "org-webhook")).toEqual({
      kind: "org-webhook",
      repository: null,
      id: "90001",
      target: "https://registry.hub.docker.com/hooks/github",
      state: "orphaned",
      links: [],
      archived: false,
    });
    expect(acme.artifacts.filter((a) => a.archived).map((a) => a.repository)).toEqual(["acme/service-0003", "acme/service-0007"]);
    const legacy = report.namespaces[0]!.links.find((l) => l.name === "legacy-builds")!;
    expect(legacy.manualSteps).toEqual([
      {
        id: "revoke-grant:github:legacy-builder",
        summary: "Revoke the OAuth grant of Docker Hub Builder for legacy-builder",
        uiPath: "GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke",
        url: "https://github.com/settings/applications",
        status: "done",
        done: "2026-11-20",
        by: "jdoe",
        observed: null,
      },
    ]);
    expect(report.owners.find((o) => o.owner === "acme-data")!.orgAccess).toEqual({
      declared: "granted",
      observed: "requested",
      observedVia: "build-service",
      manualSteps: [],
    });
  });

  it("counts one artifact once: a sweep's 'covered' wins over a revoked link's leftover, and links are joined", () => {
    const input = sampleReportInput();
    const hookId = input.links[1]!.observed.repositories[0]!.webhooks[0]!.id;
    const sweeps = [
      ...input.sweeps,
      {
        name: "acme-again",
        provider: "github" as const,
        owner: "acme",
        repositoriesSwept: 1,
        repositoriesExcluded: 0,
        foreignWebhookCount: 0,
        artifacts: [
          {
            kind: "repository-webhook" as const,
            provider: "github" as const,
            owner: "acme",
            repository: "acme/legacy-api",
            id: hookId,
            target: "x",
            archived: false,
            classification: "covered" as const,
            links: ["other-builds"],
          },
        ],
      },
    ];
    const report = buildReport({ ...input, sweeps });
    const same = report.owners.find((o) => o.owner === "acme")!.artifacts.filter((a) => a.id === hookId);
    expect(same).toHaveLength(1);
    expect(same[0]).toMatchObject({ state: "in-use", links: ["legacy-builds", "other-builds"] });
    expect(report.summary.artifacts.leftover).toBe(5);
  });

  it("is retired when nothing is left", () => {
    const input: ReportInput = { asOf: "2027-04-02", files: [], links: [], orgs: [], undeclaredOrgs: new Map(), sweeps: [] };
    const report = buildReport(input);
    expect(report.summary.retired).toBe(true);
    expect(report.daysLeft).toBe(-1);
    expect(renderReportMarkdown(report)).toContain("**1 day past retirement**");
  });
});

describe("days left", () => {
  it("counts calendar days in UTC and rejects dates that do not exist", () => {
    expect(daysBetween("2027-03-31", "2027-04-01")).toBe(1);
    expect(daysBetween("2026-04-01", "2027-04-01")).toBe(365);
    expect(daysBetween("2027-04-01", "2027-04-01")).toBe(0);
    expect(parseIsoDate("2026-02-29")).toBeNull();
    expect(parseIsoDate("2028-02-29")).not.toBeNull();
    expect(parseIsoDate("26-11-01")).toBeNull();
  });
});

describe("markdown", () => {
  it("shows the counts, the largest groups and the sample's orphans with repository and URL", () => {
    const text = renderReportMarkdown(buildReport(sampleReportInput()));
    expect(text).toContain("**126 days left** until Docker Hub autobuilds retire on 2027-04-01 (as of 2026-11-26).");
    expect(text).toContain(
      "| 1 linked, 1 disabled, 2 revoked, 1 absent, 0 unknown | 2 active, 2 revoked, 1 unverifiable | 4 in use, 6 leftover, 13 orphaned | 3 open, 1 done, 0 observed otherwise |",
    );
    expect(text).toContain("<details><summary>github acme: 6 leftovers, 10 orphans</summary>");
    expect(text).toContain("- orphaned webhook `acme/service-0001`: `https://registry.hub.docker.com/hooks/github`");
    expect(text).toContain("- orphaned org webhook (org): `https://registry.hub.docker.com/hooks/github`");
    expect(text).toContain("- link legacy-builds: `revoke-grant:github:legacy-builder` done 2026-11-20 by jdoe");
    expect(text).not.toContain("more**: not shown");
  });

  it("fits GitHub's comment cap with tens of thousands of orphans: counts first, then the largest groups, then 'N more'", () => {
    const report = buildReport(sampleReportInput("2026-11-26", 3000));
    expect(report.summary.artifacts.orphaned).toBe(36_001);
    const text = renderReportMarkdown(report);
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(text.length).toBeGreaterThan(50_000);
    expect(text.indexOf("36001 orphaned")).toBeGreaterThan(0);
    expect(text.indexOf("36001 orphaned")).toBeLessThan(text.indexOf("### Owners"));
    // The largest group (acme, 27,001 orphans) comes first and is cut short with a count.
    expect(text.indexOf("github acme: 6 leftovers, 27001 orphans")).toBeLessThan(
      text.indexOf("github acme-data:") === -1 ? Infinity : text.indexOf("github acme-data:"),
    );
    expect(text).toMatch(/- … \d+ more: see the JSON or HTML report\./);
    expect(text).toMatch(
      /\*\*[^*]*\d+ leftovers or orphans more\*\*: not shown, to keep this comment under GitHub's 65,536-character limit\./,
    );
    expect(text).toContain("sourcelinks report --format json");
  });

  it("fits with thousands of owners and links: the owners with the most left behind first, the rest counted", () => {
    const input = sampleReportInput();
    const sweeps = Array.from({ length: 4_000 }, (_, i) => ({
      name: `org-${i}`,
      provider: "github" as const,
      owner: `org-${String(i).padStart(4, "0")}`,
      repositoriesSwept: 10,
      repositoriesExcluded: 0,
      foreignWebhookCount: 0,
      artifacts: Array.from({ length: i === 1234 ? 50 : 1 }, (_, j) => ({
        kind: "repository-webhook" as const,
        provider: "github" as const,
        owner: `org-${String(i).padStart(4, "0")}`,
        repository: `org-${String(i).padStart(4, "0")}/repo-${j}`,
        id: String(j),
        target: "https://registry.hub.docker.com/hooks/github",
        archived: false,
        classification: "orphaned" as const,
        links: [],
      })),
    }));
    const text = renderReportMarkdown(buildReport({ ...input, sweeps }));
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    // org-1234 has the most orphans: first row of the owners table and first folded group.
    expect(text).toContain(
      "### Owners\n\n| Owner | Org access | Swept repositories | In use | Leftover | Orphaned |\n| --- | --- | ---: | ---: | ---: | ---: |\n| github `org-1234` | not observed | 10 | 0 | 0 | 50 |",
    );
    expect(text).toContain("<details><summary>github org-1234: 0 leftovers, 50 orphans</summary>");
    expect(text).toMatch(/\*\*\d+ owners, [^*]*\d+ leftovers or orphans more\*\*: not shown/);
  });

  it("stays under a small cap too, with nothing but the counts and the note", () => {
    const text = renderReportMarkdown(buildReport(sampleReportInput()), { maxChars: 3_500 });
    expect(text.length).toBeLessThanOrEqual(3_500);
    expect(text).toContain("126 days left");
    expect(text).toContain("more**: not shown");
  });
});

describe("html", () => {
  it("is one self-contained page: no script, nothing fetched, a stacked bar per owner", () => {
    const html = renderReportHtml(buildReport(sampleReportInput()));
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toContain("@media print");
    const chart = html.slice(html.indexOf("<svg"), html.indexOf("</svg>"));
    // acme: 6 leftovers and 10 orphans; acme-data: 4 in use and 3 orphans.
    expect(chart).toContain("<title>github acme: 6 leftover</title>");
    expect(chart).toContain("<title>github acme: 10 orphaned</title>");
    expect(chart).toContain("<title>github acme-data: 4 in use</title>");
  });

  it("escapes every text that came from a server or a file", () => {
    const input = sampleReportInput();
    const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const sweep = input.sweeps[0]!;
    const sweeps = [{ ...sweep, owner: "acme", artifacts: [{ ...sweep.artifacts[0]!, target: evil, repository: `acme/${evil}` }] }];
    const links = [{ ...input.links[0]!, observed: { ...input.links[0]!.observed, account: evil, team: evil } }];
    const html = renderReportHtml(buildReport({ ...input, links, sweeps, files: [evil] }));
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });
});

describe("merge", () => {
  function shard(which: "a" | "b"): RetirementReport {
    const input = sampleReportInput(which === "a" ? "2026-11-26" : "2026-11-25");
    const keep = (ns: string): boolean => (which === "a" ? ns === "acme" : ns === "acme-data");
    return buildReport({
      ...input,
      files: [`${which}.yaml`],
      links: input.links.filter((l) => keep(l.spec.namespace)),
      orgs: input.orgs.filter((o) => keep(o.spec.org) || (which === "a" && o.spec.org === "contractor-co")),
      sweeps: input.sweeps.filter((s) => keep(s.owner) || (which === "a" && s.owner === "contractor-co")),
    });
  }

  it("of the shards of one world equals the report of the whole world, dated by the oldest run", () => {
    const merged = mergeReports([
      { file: "a.json", report: shard("a") },
      { file: "b.json", report: shard("b") },
    ]);
    valid(merged);
    const whole = buildReport({ ...sampleReportInput("2026-11-25") });
    expect(merged.asOf).toBe("2026-11-25");
    expect(merged.daysLeft).toBe(127);
    expect(merged.sources).toEqual([
      { asOf: "2026-11-26", files: ["a.yaml"] },
      { asOf: "2026-11-25", files: ["b.yaml"] },
    ]);
    expect(merged.summary).toEqual(whole.summary);
    expect(merged.namespaces).toEqual(whole.namespaces);
    expect(merged.owners).toEqual(whole.owners);
  });

  it("counts a resource reported identically twice once, and refuses one reported differently", () => {
    const a = shard("a");
    expect(
      mergeReports([
        { file: "a.json", report: a },
        { file: "a2.json", report: a },
      ]).summary,
    ).toEqual(a.summary);
    const changed = structuredClone(a);
    changed.namespaces[0]!.links[0]!.providerGrant = "revoked";
    expect(() =>
      mergeReports([
        { file: "a.json", report: a },
        { file: "changed.json", report: changed },
      ]),
    ).toThrow(
      new CliError(
        2,
        "changed.json: link acme-builds in namespace acme differs from the one in a.json: a resource must be reported by one shard only (or identically by each)",
      ),
    );
  });

  it("parses a report back and names what is wrong with anything else", () => {
    const text = renderReportJson(shard("a"));
    expect(parseReport(text, "a.json")).toEqual(JSON.parse(text));
    expect(() => parseReport("{", "x.json")).toThrow(/^x\.json: not a sourcelinks report: not JSON: /);
    const plan = JSON.stringify({ apiVersion: "sourcelinks.plan/v1", files: [], resources: [] });
    expect(() => parseReport(plan, "plan.json")).toThrow(
      'plan.json: not a sourcelinks report: it has apiVersion "sourcelinks.plan/v1", expected "sourcelinks.report/v1" (as sourcelinks report --format json writes it)',
    );
    expect(() => parseReport("[]", "list.json")).toThrow("list.json: not a sourcelinks report: it has no apiVersion");
    const bad = JSON.parse(text) as RetirementReport;
    const at = bad.owners.findIndex((o) => o.artifacts.length > 0);
    (bad.owners[at]!.artifacts[0] as { state: string }).state = "gone";
    delete (bad as Partial<RetirementReport>).daysLeft;
    const error = (() => {
      try {
        parseReport(JSON.stringify(bad), "bad.json");
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).lines).toEqual([
      "bad.json: not a sourcelinks report (apiVersion sourcelinks.report/v1, as sourcelinks report --format json writes it)",
      "bad.json: at (the top level): must have required property 'daysLeft'",
      `bad.json: at /owners/${at}/artifacts/0/state: must be equal to one of the allowed values (in-use, leftover, orphaned)`,
    ]);
    expect(() => parseReport(text.replace('"asOf": "2026-11-26"', '"asOf": "2026-02-30"'), "d.json")).toThrow(
      "d.json: not a sourcelinks report: 2026-02-30 is not a calendar date",
    );
  });
});
